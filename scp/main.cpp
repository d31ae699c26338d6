// medvqa-scp entry point: parse the command line, start the node, wait for SIGTERM/SIGINT.
#include <csignal>
#include <cstdio>
#include <pthread.h>

#include "cli.h"
#include "common/dcmtk_log_bridge.h"
#include "common/error.h"
#include "common/log.h"
#include "dicom/codecs.h"
#include "node.h"
#include "pipeline/rule_questions.h"
#include "ports_file.h"

namespace {

// Blocked in every thread so that the main thread alone receives them, with sigwait.
sigset_t stopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace medvqa;
  std::signal(SIGPIPE, SIG_IGN);  // a peer that hangs up mid-write must not kill the node
  const sigset_t signals = stopSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  scp::CliRequest request;
  try {
    request = scp::parseCommandLine({argv + 1, argv + argc});
  } catch (const Error& e) {
    std::fprintf(stderr, "medvqa-scp: %s\n", e.what());
    return 2;
  }
  if (request.action == scp::CliRequest::Action::Help) {
    std::fputs(scp::helpText(), stdout);
    return 0;
  }
  if (request.action == scp::CliRequest::Action::Version) {
    std::puts("medvqa-scp " MEDVQA_VERSION);
    return 0;
  }
  const log::Level level = log::parseLevel(request.config.logLevel);
  log::setLevel(level);
  // DCMTK's own lines, its DIMSE and data set dumps at debug included, go through our log with
  // patient identifiers masked.
  log::routeDcmtkLogging(level);
  const dicom::CodecRegistration codecs;
  // A ports file is there only while this node runs: one left by an earlier run must not be
  // taken for this one's by whoever waits for it.
  const auto& portsFile = request.portsFile;
  if (!portsFile.empty()) scp::removePortsFile(portsFile);
  scp::Node node(request.config);
  try {
    node.start();
    if (!portsFile.empty()) scp::writePortsFile(portsFile, node.ports());
  } catch (const pipeline::RuleQuestionError& e) {
    // A rule question the model does not answer is the operator's to fix, like a bad option.
    log::error(std::string("cannot start: ") + e.what());
    return 2;
  } catch (const std::exception& e) {
    log::error(std::string("cannot start: ") + e.what());
    return 1;
  }
  int received = 0;
  sigwait(&signals, &received);
  log::info(std::string("received ") + (received == SIGTERM ? "SIGTERM" : "SIGINT") + ", shutting down");
  node.stop();
  if (!portsFile.empty()) scp::removePortsFile(portsFile);
  return 0;
}
