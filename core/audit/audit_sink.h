#pragma once

#include <string>

namespace medvqa::audit {

// Where audit messages go (a file, a syslog collector). Implementations are thread-safe: DICOM
// association threads, HTTP threads and pipeline workers record at once.
class AuditSink {
 public:
  virtual ~AuditSink() = default;

  // "file" | "syslog": the sink label of medvqa_audit_messages_total.
  virtual const char* name() const noexcept = 0;

  // Takes one message (audit_xml.h's toXml: one line, no line break). Must be quick: it runs on
  // the threads that serve peers. Throws medvqa::Error when the message is lost; a sink that
  // queues counts its own later losses.
  virtual void write(const std::string& message) = 0;
};

}  // namespace medvqa::audit
