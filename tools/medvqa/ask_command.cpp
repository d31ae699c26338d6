// `medvqa ask PATH "question"`: one question about a DICOM file or study folder, answered by the
// header (modality, plane, sex...) or by the model. A thin translation of arguments into
// vqa::Engine calls; every error is printed once and gives exit status 1.
#include <dcmtk/oflog/oflog.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "command.h"
#include "common/error.h"
#include "common/log.h"
#include "config/answering_config.h"
#include "vqa/engine.h"

namespace medvqa::cli {

namespace {

namespace fs = std::filesystem;

constexpr const char* kUsage =
    "usage: medvqa ask PATH QUESTION [--model DIR] [--device auto|cpu|cuda[:N]] [--json] [--verbose]\n"
    "\n"
    "Answers QUESTION about the DICOM file or study folder PATH. Questions that DICOM attributes\n"
    "answer exactly (modality, imaging plane, body part, laterality, patient sex and age, study\n"
    "date, contrast) come from the header; every other question is first read by the model's\n"
    "question understanding. A question outside the model's question types is refused as\n"
    "unsupported, one about anatomy the study does not show as not_applicable, and an answer\n"
    "below its type's confidence threshold as uncertain (with the best guess); the rest are\n"
    "answered by the model on each image its manifest selects, combined over the images.\n"
    "\n"
    "  --model DIR    model folder (manifest.json + model.pt). Default: models/demo next to the\n"
    "                 build (<binary>/../../models/demo), else ./models/demo\n"
    "  --device D     auto (CUDA when available, else CPU), cpu, cuda or cuda:N (default auto)\n"
    "  --json         print one JSON object: question, status (answered, unsupported,\n"
    "                 not_applicable, uncertain), answer (only when answered), best_guess (only\n"
    "                 when uncertain), reason (when not answered), confidence, question_type,\n"
    "                 polarity, source, model, evidence (SOP Instance UIDs), alternatives, code\n"
    "  --verbose      log model loading and skipped files to stderr\n"
    "\n"
    "Prints \"ANSWER (confidence 0.97, model)\", or \"STATUS: REASON\" for a refusal. Exit status 0\n"
    "(a refusal included), 1 on error, 2 on a usage error.\n";

struct Arguments {
  fs::path path;
  std::string question;
  std::optional<fs::path> model;
  vqa::DeviceSpec device;
  bool json = false;
  bool verbose = false;
};

int usageError(const std::string& message) {
  std::fprintf(stderr, "medvqa ask: %s\n\n%s", message.c_str(), kUsage);
  return 2;
}

// nullopt after --help (usage printed); Error(InvalidArgument) for a bad argument.
std::optional<Arguments> parse(std::span<const char* const> args) {
  Arguments parsed;
  std::vector<std::string> positional;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) throw Error(ErrorCode::InvalidArgument, std::string(arg) + " needs a value");
      return args[++i];
    };
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return std::nullopt;
    } else if (arg == "--model") {
      parsed.model = value();
    } else if (arg == "--device") {
      parsed.device = vqa::DeviceSpec::parse(value());
    } else if (arg == "--json") {
      parsed.json = true;
    } else if (arg == "--verbose") {
      parsed.verbose = true;
    } else if (arg.starts_with("--")) {
      throw Error(ErrorCode::InvalidArgument, "unknown option " + std::string(arg));
    } else {
      positional.emplace_back(arg);
    }
  }
  if (positional.size() != 2) throw Error(ErrorCode::InvalidArgument, "expected PATH and QUESTION");
  parsed.path = positional[0];
  parsed.question = positional[1];
  return parsed;
}

// A study without one decodable image is refused for every question, header ones included: the
// user asked about images, and a file we cannot read is worth saying so.
void checkStudy(const imaging::StudyImages& study, const fs::path& path) {
  if (!study.images.empty()) return;
  if (!study.skipped.empty()) {
    const auto& first = study.skipped.front();
    throw Error(ErrorCode::Dicom, first.path.string() + ": " + first.reason);
  }
  throw Error(ErrorCode::NotFound, "no DICOM image instance under " + path.string());
}

void print(const vqa::Answer& answer, bool json) {
  if (json) {
    std::printf("%s\n", nlohmann::json(answer).dump(2).c_str());
    return;
  }
  if (answer.status == vqa::AnswerStatus::Answered) {
    std::printf("%s (confidence %.2f, %s)\n", answer.text.c_str(), answer.confidence,
                std::string(vqa::toString(answer.source)).c_str());
    return;
  }
  // A refusal is an outcome, not an error: said on stdout, exit status 0.
  std::printf("%s: %s\n", std::string(vqa::toString(answer.status)).c_str(), answer.reason.c_str());
}

int ask(const Arguments& arguments) {
  if (arguments.question.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw Error(ErrorCode::InvalidArgument, "the question is empty");
  }
  if (!fs::exists(arguments.path)) throw Error(ErrorCode::NotFound, "no such file or folder: " + arguments.path.string());
  const auto modelFolder = config::resolveModelFolder(arguments.model.value_or(fs::path()));
  auto model = vqa::Model::load(modelFolder, {.device = arguments.device});
  const vqa::Engine engine(model);
  const auto study = engine.load(arguments.path);
  checkStudy(study, arguments.path);
  print(engine.ask(study, arguments.question), arguments.json);
  return 0;
}

}  // namespace

int runAsk(std::span<const char* const> args) {
  std::optional<Arguments> arguments;
  try {
    arguments = parse(args);
  } catch (const Error& e) {
    return usageError(e.what());
  }
  if (!arguments) return 0;
  if (!arguments->verbose) {
    // The answer is the output; DCMTK's informational decoder notes are not.
    log::setLevel(log::Level::Error);
    OFLog::configure(OFLogger::WARN_LOG_LEVEL);
  }
  try {
    return ask(*arguments);
  } catch (const Error& e) {
    std::fprintf(stderr, "medvqa ask: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "medvqa ask: %s\n", e.what());
    return 1;
  }
}

}  // namespace medvqa::cli
