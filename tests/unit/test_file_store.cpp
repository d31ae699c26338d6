#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "store/file_store.h"

namespace fs = std::filesystem;
using medvqa::store::FileStore;
using medvqa::store::TempFile;

namespace {
fs::path freshDir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("medvqa-test-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}
}  // namespace

TEST(FileStore, PathComesFromAHashNeverFromTheUid) {
  const std::string rel = FileStore::relativePathFor("1.2.3.4");
  EXPECT_EQ(rel.rfind("instances/", 0), 0u);
  EXPECT_EQ(rel.find("1.2.3.4"), std::string::npos);
  EXPECT_EQ(rel.size(), std::string("instances/ab/").size() + 64 + 4);
  EXPECT_EQ(FileStore::relativePathFor("1.2.3.4"), rel);  // stable
  EXPECT_NE(FileStore::relativePathFor("1.2.3.5"), rel);
}

TEST(FileStore, CommitMovesTheFileIntoPlaceAndTempFileCleansUp) {
  const fs::path root = freshDir("store");
  FileStore store(root);
  const fs::path temp = store.newTempPath();
  EXPECT_EQ(temp.parent_path(), root / "tmp");
  std::ofstream(temp) << "data";
  const std::string rel = FileStore::relativePathFor("1.2.3");
  store.commit(temp, rel);
  EXPECT_FALSE(fs::exists(temp));
  std::ifstream in(store.absolute(rel));
  std::string content;
  in >> content;
  EXPECT_EQ(content, "data");

  fs::path abandoned;
  {
    TempFile file(store.newTempPath());
    abandoned = file.path();
    std::ofstream(abandoned) << "partial";
  }
  EXPECT_FALSE(fs::exists(abandoned));
  std::ofstream(store.newTempPath()) << "left by a crash";
  EXPECT_EQ(store.purgeTemp(), 1u);
  fs::remove_all(root);
}
