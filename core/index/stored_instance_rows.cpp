#include "index/stored_instance_rows.h"

namespace medvqa::index_detail {

StoredInstance readStoredInstance(const db::Statement& row) {
  StoredInstance out;
  out.sopClassUid = row.columnText(0);
  out.sopInstanceUid = row.columnText(1);
  out.transferSyntaxUid = row.columnText(2);
  out.relPath = row.columnText(3);
  out.fileSize = static_cast<std::uint64_t>(row.columnInt64(4));
  out.studyUid = row.columnText(5);
  out.seriesUid = row.columnText(6);
  return out;
}

std::optional<StoredInstance> selectInstance(db::Connection& connection,
                                             const std::string& sopInstanceUid) {
  auto statement = connection.cached(std::string("SELECT ") + kStoredInstanceColumns + " FROM " +
                                     kStoredInstanceFrom + " WHERE i.sop_instance_uid = ?1");
  statement->bindText(1, sopInstanceUid);
  if (!statement->step()) return std::nullopt;
  return readStoredInstance(*statement);
}

}  // namespace medvqa::index_detail
