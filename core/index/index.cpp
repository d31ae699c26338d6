#include "index/index.h"

#include <chrono>

#include "common/clock.h"
#include "index/instance_writer.h"
#include "index/schema.h"
#include "index/stored_instance_rows.h"

namespace medvqa {
namespace {

// Idle read connections kept open between queries; more are opened when more threads read at
// once, and closed again when they are done.
constexpr std::size_t kIdleReaders = 8;

// The writer is opened, and the schema created, before any reader: a reader must never see a
// half-created schema, and PRAGMA query_only readers could not create it.
db::Connection openWriter(const std::filesystem::path& dbFile, Index::Durability durability) {
  db::Connection writer(dbFile, db::ConnectionOptions{
                                    .syncEveryCommit = durability == Index::Durability::SyncEveryCommit});
  index_detail::createOrCheckSchema(writer);
  return writer;
}

}  // namespace

Index::Index(const std::filesystem::path& dbFile, Durability durability)
    : writer_(openWriter(dbFile, durability)),
      readers_(dbFile, db::ConnectionOptions{.readOnly = true}, kIdleReaders) {}

Index::~Index() = default;

PutResult Index::put(const InstanceRecord& record, DuplicatePolicy policy,
                     std::optional<std::int64_t> receivedAtMs, Settling settling) {
  const std::int64_t at = receivedAtMs.value_or(nowUnixMs());
  std::lock_guard lock(writeMutex_);
  return index_detail::putInstance(writer_, record, policy, at, settling);
}

std::optional<StoredInstance> Index::remove(const std::string& sopInstanceUid) {
  std::lock_guard lock(writeMutex_);
  return index_detail::removeInstance(writer_, sopInstanceUid);
}

std::optional<StoredInstance> Index::findInstance(const std::string& sopInstanceUid) const {
  auto reader = readers_.acquire();
  return index_detail::selectInstance(*reader, sopInstanceUid);
}

std::vector<StoredInstance> Index::allInstances() const {
  auto reader = readers_.acquire();
  auto statement = reader->prepare(std::string("SELECT ") + index_detail::kStoredInstanceColumns +
                                   " FROM " + index_detail::kStoredInstanceFrom + " ORDER BY i.id");
  std::vector<StoredInstance> out;
  while (statement.step()) out.push_back(index_detail::readStoredInstance(statement));
  return out;
}

}  // namespace medvqa
