#include "net/tls_config.h"

namespace medvqa::net {

std::string toString(TlsProfile profile) {
  switch (profile) {
    case TlsProfile::Bcp195NonDowngrading: return "bcp195-nd";
    case TlsProfile::Bcp195: return "bcp195";
    case TlsProfile::Bcp195Extended: return "bcp195-ex";
  }
  return "?";
}

std::string toString(ClientVerification verification) {
  switch (verification) {
    case ClientVerification::Require: return "require";
    case ClientVerification::IfPresented: return "if-presented";
    case ClientVerification::Ignore: return "ignore";
  }
  return "?";
}

}  // namespace medvqa::net
