#include "audit_messages.h"

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xpath.h>
#include <openssl/evp.h>

#include <cstdarg>
#include <cstdio>
#include <fstream>
#include <stdexcept>

namespace medvqa::test {
namespace {

void collectError(void* context, const char* format, ...) {
  char text[1024];
  va_list args;
  va_start(args, format);
  std::vsnprintf(text, sizeof text, format, args);
  va_end(args);
  static_cast<std::string*>(context)->append(text);
}

}  // namespace

struct AuditMessage::Doc {
  xmlDocPtr doc = nullptr;
  ~Doc() { xmlFreeDoc(doc); }
};

std::filesystem::path auditSchemaPath() {
  return std::filesystem::path(MEDVQA_SOURCE_DIR) / "tests" / "data" / "audit" / "dicom-audit-message.rng";
}

AuditMessage::AuditMessage(const std::string& xml) : xml_(xml), doc_(std::make_unique<Doc>()) {
  doc_->doc = xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "audit.xml", nullptr,
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  if (!doc_->doc) {
    const xmlError* error = xmlGetLastError();
    throw std::runtime_error("not well-formed XML: " + std::string(error && error->message ? error->message : "?") +
                             " in: " + xml.substr(0, 300));
  }
}

AuditMessage::~AuditMessage() = default;
AuditMessage::AuditMessage(AuditMessage&&) noexcept = default;
AuditMessage& AuditMessage::operator=(AuditMessage&&) noexcept = default;

std::string AuditMessage::schemaErrors() const {
  std::string errors;
  xmlRelaxNGParserCtxtPtr parser = xmlRelaxNGNewParserCtxt(auditSchemaPath().c_str());
  xmlRelaxNGSetParserErrors(parser, collectError, collectError, &errors);
  xmlRelaxNGPtr schema = xmlRelaxNGParse(parser);
  xmlRelaxNGFreeParserCtxt(parser);
  if (!schema) return "cannot load the schema " + auditSchemaPath().string() + ": " + errors;
  xmlRelaxNGValidCtxtPtr validator = xmlRelaxNGNewValidCtxt(schema);
  xmlRelaxNGSetValidErrors(validator, collectError, collectError, &errors);
  const int rc = xmlRelaxNGValidateDoc(validator, doc_->doc);
  xmlRelaxNGFreeValidCtxt(validator);
  xmlRelaxNGFree(schema);
  if (rc == 0) return {};
  return errors.empty() ? "invalid (rc " + std::to_string(rc) + ")" : errors;
}

std::string AuditMessage::text(const std::string& xpath) const {
  xmlXPathContextPtr context = xmlXPathNewContext(doc_->doc);
  xmlXPathObjectPtr result =
      xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(("string(" + xpath + ")").c_str()), context);
  std::string out;
  if (result && result->type == XPATH_STRING && result->stringval) out = reinterpret_cast<const char*>(result->stringval);
  xmlXPathFreeObject(result);
  xmlXPathFreeContext(context);
  return out;
}

int AuditMessage::count(const std::string& xpath) const {
  xmlXPathContextPtr context = xmlXPathNewContext(doc_->doc);
  xmlXPathObjectPtr result =
      xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(("count(" + xpath + ")").c_str()), context);
  const int n = result && result->type == XPATH_NUMBER ? static_cast<int>(result->floatval) : -1;
  xmlXPathFreeObject(result);
  xmlXPathFreeContext(context);
  return n;
}

std::vector<AuditMessage> readAuditFile(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::vector<AuditMessage> messages;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) messages.emplace_back(line);
  }
  return messages;
}

std::string base64Decode(const std::string& text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) throw std::runtime_error("not base64: " + text);
  std::size_t length = static_cast<std::size_t>(n);
  // EVP_DecodeBlock counts the padding as zero bytes.
  if (text.size() >= 1 && text[text.size() - 1] == '=') --length;
  if (text.size() >= 2 && text[text.size() - 2] == '=') --length;
  out.resize(length);
  return out;
}

}  // namespace medvqa::test
