// medvqa-gen: synthetic DICOM test data (corpora for tests and benchmarks, hostile files).
#include <exception>
#include <iostream>

#include "generate.h"
#include "hostile.h"
#include "options.h"

int main(int argc, char** argv) {
  using namespace medvqa::gen;
  try {
    const GenOptions o = parseOptions(argc, argv);
    if (o.help) {
      printUsage(std::cout);
    } else if (o.listHostile) {
      listHostileKinds(std::cout);
    } else if (!o.hostile.empty()) {
      const HostileResult r = writeHostile(o);
      if (!o.quiet)
        std::cout << "medvqa-gen: wrote " << o.out.string() << " (hostile " << o.hostile << ", node should "
                  << r.expectation << ", SOPInstanceUID '" << r.sopInstanceUid << "')\n";
    } else {
      const GenSummary s = generateCorpus(o);
      if (!o.quiet)
        std::cout << "medvqa-gen: wrote " << s.files << " files, " << s.bytes << " bytes, " << syntaxName(o.syntax)
                  << ", into " << o.out.string() << "\n";
    }
    return 0;
  } catch (const UsageError& e) {
    std::cerr << "medvqa-gen: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "medvqa-gen: error: " << e.what() << "\n";
    return 1;
  }
}
