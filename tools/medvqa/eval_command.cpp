// `medvqa eval`: scores a model with the C++ runtime on every question of a labelled set.
#include <cstdio>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

#include "command.h"
#include "common/error.h"
#include "training/engine_answers.h"
#include "training/evaluation.h"
#include "training/evaluation_report.h"
#include "training/model_card.h"
#include "training/predictions_file.h"
#include "training/truth_file.h"
#include "vqa/engine.h"
#include "vqa/model.h"

namespace medvqa::cli {

namespace {

constexpr const char* kUsage =
    "usage: medvqa eval --model DIR --data DIR [--json] [--predictions FILE]\n"
    "                   [--write-model-card FILE] [--device D] [--threads N] [--quiet]\n"
    "\n"
    "Asks the model, through the runtime that serves it, every question of DIR/truth.jsonl (a\n"
    "`medvqa synth` folder) and scores it as selective prediction: on in-scope questions, per type\n"
    "and overall, coverage (answered / asked), accuracy when answered, risk at 95 % coverage and the\n"
    "refusals by status (false refusals); wrong answers on inverse-polarity phrasings; seen and\n"
    "held-out phrasings; out-of-scope questions refused (seen and held-out topics and wordings);\n"
    "not-applicable questions refused; and the expected calibration error of the answered\n"
    "questions (15 bins).\n"
    "\n"
    "  --model DIR              a model folder (manifest.json + TorchScript module)\n"
    "  --data DIR               a `medvqa synth` folder (or its truth.jsonl)\n"
    "  --json                   print the figures as JSON instead of a table\n"
    "  --predictions FILE       write one JSON line per question (compare with evaluate.py)\n"
    "  --write-model-card FILE  write the model card (training from the manifest, these results)\n"
    "  --device D               auto (default), cpu, cuda, cuda:N\n"
    "  --threads N              studies evaluated in parallel (default 2)\n"
    "  --quiet                  no progress on stderr\n";

struct Arguments {
  std::filesystem::path model, data;
  bool json = false, quiet = false;
  std::optional<std::filesystem::path> predictions, modelCard;
  std::string device = "auto";
  int threads = 2;
};

int usageError(const std::string& message) {
  std::fprintf(stderr, "medvqa eval: %s\n\n%s", message.c_str(), kUsage);
  return 2;
}

int parseThreads(const char* text) {
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  if (end == text || *end != '\0' || value < 1 || value > 256) {
    throw Error(ErrorCode::InvalidArgument, std::string("--threads expects 1..256, got \"") + text + "\"");
  }
  return static_cast<int>(value);
}

// nullopt after --help (usage printed).
std::optional<Arguments> parse(std::span<const char* const> args) {
  Arguments parsed;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view flag = args[i];
    const auto value = [&]() -> const char* {
      if (i + 1 >= args.size()) throw Error(ErrorCode::InvalidArgument, std::string(flag) + " needs a value");
      return args[++i];
    };
    if (flag == "--help" || flag == "-h") {
      std::fputs(kUsage, stdout);
      return std::nullopt;
    } else if (flag == "--model") {
      parsed.model = value();
    } else if (flag == "--data") {
      parsed.data = value();
    } else if (flag == "--json") {
      parsed.json = true;
    } else if (flag == "--predictions") {
      parsed.predictions = value();
    } else if (flag == "--write-model-card") {
      parsed.modelCard = value();
    } else if (flag == "--device") {
      parsed.device = value();
    } else if (flag == "--threads") {
      parsed.threads = parseThreads(value());
    } else if (flag == "--quiet") {
      parsed.quiet = true;
    } else {
      throw Error(ErrorCode::InvalidArgument, "unknown option " + std::string(flag));
    }
  }
  if (parsed.model.empty()) throw Error(ErrorCode::InvalidArgument, "--model is required");
  if (parsed.data.empty()) throw Error(ErrorCode::InvalidArgument, "--data is required");
  return parsed;
}

void reportProgress(std::size_t done, std::size_t total) {
  if (done % 50 == 0 || done == total) std::fprintf(stderr, "\rmedvqa eval: %zu/%zu studies", done, total);
  if (done == total) std::fputc('\n', stderr);
}

std::size_t countStudies(const std::vector<training::TruthRow>& truth) {
  std::set<std::string> dirs;
  for (const auto& row : truth) dirs.insert(row.studyDir);
  return dirs.size();
}

void writeModelCard(const Arguments& args, const std::vector<training::TruthRow>& truth,
                    const training::EvaluationReport& report) {
  training::ModelCardInputs inputs;
  training::describeModelFolder(args.model, inputs);
  inputs.evaluationData = args.data.string();
  inputs.evaluationStudies = countStudies(truth);
  inputs.report = report;
  if (args.modelCard->has_parent_path()) std::filesystem::create_directories(args.modelCard->parent_path());
  std::ofstream out(*args.modelCard, std::ios::trunc);
  out << training::renderModelCard(inputs);
  out.close();
  if (!out) throw Error(ErrorCode::Io, "cannot write " + args.modelCard->string());
}

int run(const Arguments& args) {
  const auto truth = training::readTruthFile(args.data);
  vqa::ModelLoadOptions loadOptions;
  loadOptions.device = vqa::DeviceSpec::parse(args.device);
  const vqa::Engine engine(vqa::Model::load(args.model, loadOptions));
  training::EngineRunOptions runOptions;
  runOptions.threads = args.threads;
  if (!args.quiet) runOptions.progress = reportProgress;
  const auto answers = training::answerTruthRows(engine, truth, training::dataFolderOf(args.data), runOptions);

  // Header answers (a question the router sent to the DICOM attributes) are scored as given and
  // counted in the report: they should not happen on synthetic data, whose questions are all about
  // findings.
  const auto scored = training::scoreAnswers(truth, answers);
  const auto report = training::evaluate(scored, engine.model().manifest().questionTypes);
  if (args.json) {
    std::printf("%s\n", training::toJson(report).dump(2).c_str());
    if (report.headerAnswers > 0) {
      std::fprintf(stderr, "medvqa eval: %zu questions were answered from the DICOM header, not the model\n",
                   report.headerAnswers);
    }
  } else {
    std::printf("%s", training::formatTable(report).c_str());
  }
  if (args.predictions) training::writePredictions(*args.predictions, truth, scored);
  if (args.modelCard) writeModelCard(args, truth, report);
  return 0;
}

}  // namespace

int runEval(std::span<const char* const> args) {
  std::optional<Arguments> parsed;
  try {
    parsed = parse(args);
  } catch (const Error& e) {
    return usageError(e.what());
  }
  if (!parsed) return 0;
  try {
    return run(*parsed);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "medvqa eval: %s\n", e.what());
    return 1;
  }
}

}  // namespace medvqa::cli
