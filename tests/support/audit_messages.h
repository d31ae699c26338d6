#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace medvqa::test {

// One audit message parsed by a real XML parser (libxml2), with XPath to read it and the DICOM
// audit RELAX NG schema (tests/data/audit/dicom-audit-message.rng, PS3.15 A.5.1) to check it.
class AuditMessage {
 public:
  // Throws std::runtime_error with libxml2's complaint when `xml` is not well-formed.
  explicit AuditMessage(const std::string& xml);
  ~AuditMessage();
  AuditMessage(AuditMessage&&) noexcept;
  AuditMessage& operator=(AuditMessage&&) noexcept;

  // "" when the message is valid against the schema, else the validator's errors.
  std::string schemaErrors() const;
  // The XPath expression's string value ("string(...)" is added): "" when it selects nothing.
  std::string text(const std::string& xpath) const;
  // How many nodes the expression selects.
  int count(const std::string& xpath) const;

  // Shorthands for what every test reads.
  std::string eventId() const { return text("/AuditMessage/EventIdentification/EventID/@csd-code"); }
  std::string eventType() const { return text("/AuditMessage/EventIdentification/EventTypeCode/@csd-code"); }
  std::string action() const { return text("/AuditMessage/EventIdentification/@EventActionCode"); }
  std::string outcome() const { return text("/AuditMessage/EventIdentification/@EventOutcomeIndicator"); }

  const std::string& xml() const { return xml_; }

 private:
  struct Doc;
  std::string xml_;
  std::unique_ptr<Doc> doc_;
};

std::filesystem::path auditSchemaPath();

// Each non-empty line of an audit file, parsed (throws on the first line that is not XML).
std::vector<AuditMessage> readAuditFile(const std::filesystem::path& file);

std::string base64Decode(const std::string& text);

}  // namespace medvqa::test
