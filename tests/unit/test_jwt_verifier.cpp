// auth::JwtVerifier and the key loaders: tokens minted with libjwt (as an issuer would) against
// the verifier's rules: pinned algorithm per key, signature, exp/nbf with leeway, roles claim.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <functional>

#include "auth/jwt_key.h"
#include "auth/jwt_verifier.h"
#include "common/error.h"
#include "jwt_tokens.h"

namespace fs = std::filesystem;
using medvqa::auth::JwtAlgorithm;
using medvqa::auth::JwtKey;
using medvqa::auth::JwtVerifier;
using medvqa::auth::Role;
using medvqa::auth::TokenCheck;
using medvqa::test::mintJwt;
using medvqa::test::RsaKeyPair;
using nlohmann::json;
using std::chrono::system_clock;

namespace {

const std::string kSecret = "0123456789abcdef0123456789abcdef-hs256-test";
constexpr std::int64_t kT = 1'900'000'000;  // a fixed "now" for the time checks

system_clock::time_point at(std::int64_t seconds) { return system_clock::time_point(std::chrono::seconds(seconds)); }

json claims(const json& roles = json::array({"reader"}), std::int64_t exp = kT + 3600) {
  return {{"sub", "dr-house"}, {"roles", roles}, {"exp", exp}};
}

class JwtVerifierTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    issuer_ = new RsaKeyPair(medvqa::test::makeRsaKeyPair());
    stranger_ = new RsaKeyPair(medvqa::test::makeRsaKeyPair());
  }
  static void TearDownTestSuite() {
    delete issuer_;
    delete stranger_;
  }
  static JwtVerifier hs256() { return JwtVerifier({JwtKey{JwtAlgorithm::HS256, kSecret, "secret"}}); }
  static JwtVerifier rs256() { return JwtVerifier({JwtKey{JwtAlgorithm::RS256, issuer_->publicPem, "public.pem"}}); }
  static JwtVerifier both() {
    return JwtVerifier({JwtKey{JwtAlgorithm::HS256, kSecret, "secret"},
                        JwtKey{JwtAlgorithm::RS256, issuer_->publicPem, "public.pem"}});
  }
  static void expectRefused(const TokenCheck& check, const std::string& problem) {
    EXPECT_FALSE(check.principal.has_value());
    EXPECT_NE(check.problem.find(problem), std::string::npos) << check.problem;
  }

  static inline RsaKeyPair* issuer_ = nullptr;
  static inline RsaKeyPair* stranger_ = nullptr;
};

TEST_F(JwtVerifierTest, Hs256TokenGivesItsSubjectAndKnownRoles) {
  const auto check = hs256().verify(mintJwt("HS256", kSecret, claims({"reader", "pacs-operator", "admin"})), at(kT));
  ASSERT_TRUE(check.principal) << check.problem;
  EXPECT_EQ(check.principal->subject, "dr-house");
  EXPECT_EQ(check.principal->roles, (std::vector<Role>{Role::Reader, Role::Admin}));
}

TEST_F(JwtVerifierTest, Rs256TokenIsAccepted) {
  const auto check = rs256().verify(mintJwt("RS256", issuer_->privatePem, claims({"radiologist"})), at(kT));
  ASSERT_TRUE(check.principal) << check.problem;
  EXPECT_EQ(check.principal->roles, std::vector<Role>{Role::Radiologist});
  // With both keys configured each algorithm still finds its own key.
  EXPECT_TRUE(both().verify(mintJwt("RS256", issuer_->privatePem, claims()), at(kT)).principal);
  EXPECT_TRUE(both().verify(mintJwt("HS256", kSecret, claims()), at(kT)).principal);
}

TEST_F(JwtVerifierTest, WrongSignaturesAreRefused) {
  expectRefused(hs256().verify(mintJwt("HS256", kSecret + "x", claims()), at(kT)), "signature does not verify");
  expectRefused(rs256().verify(mintJwt("RS256", stranger_->privatePem, claims()), at(kT)), "signature does not verify");
  // A reader's genuine token with the payload of an admin token: the signature no longer covers it.
  const std::string reader = mintJwt("HS256", kSecret, claims({"reader"}));
  const std::string admin = mintJwt("HS256", kSecret + "x", claims({"admin"}));
  const auto part = [](const std::string& t, int i) {
    const auto a = t.find('.'), b = t.rfind('.');
    return i == 0 ? t.substr(0, a) : i == 1 ? t.substr(a + 1, b - a - 1) : t.substr(b + 1);
  };
  expectRefused(hs256().verify(part(reader, 0) + "." + part(admin, 1) + "." + part(reader, 2), at(kT)),
                "signature does not verify");
  expectRefused(hs256().verify(part(reader, 0) + "." + part(reader, 1) + ".", at(kT)), "signature does not verify");
}

TEST_F(JwtVerifierTest, AlgNoneIsRefusedWhateverTheKey) {
  const std::string none = mintJwt("none", "", claims({"admin"}));
  expectRefused(hs256().verify(none, at(kT)), "algorithm none not accepted");
  expectRefused(rs256().verify(none, at(kT)), "algorithm none not accepted");
  expectRefused(both().verify(none, at(kT)), "algorithm none not accepted");
}

// The classic confusion: an RS256 node's public key is public, so an attacker HMACs a token with
// it. Checked with the RSA key's algorithm pinned, the header's HS256 is never honoured.
TEST_F(JwtVerifierTest, Hs256SignedWithTheRsaPublicKeyIsRefused) {
  const std::string forged = mintJwt("HS256", issuer_->publicPem, claims({"admin"}));
  expectRefused(rs256().verify(forged, at(kT)), "algorithm HS256 not accepted (accepted: RS256)");
  // With an HS256 secret configured too, the forgery is checked with that secret and fails.
  expectRefused(both().verify(forged, at(kT)), "signature does not verify");
}

TEST_F(JwtVerifierTest, OtherAlgorithmsAreRefusedEvenWithTheRightSecret) {
  expectRefused(hs256().verify(mintJwt("HS512", kSecret, claims()), at(kT)), "algorithm HS512 not accepted");
  expectRefused(hs256().verify(mintJwt("RS256", issuer_->privatePem, claims()), at(kT)), "algorithm RS256 not accepted");
}

TEST_F(JwtVerifierTest, ExpIsRequiredAndCheckedWithTheLeeway) {
  const std::string token = mintJwt("HS256", kSecret, claims(json::array({"reader"}), kT));
  const auto leeway = JwtVerifier::kClockLeeway.count();
  EXPECT_TRUE(hs256().verify(token, at(kT + leeway - 1)).principal);
  expectRefused(hs256().verify(token, at(kT + leeway)), "token expired");
  expectRefused(hs256().verify(token, at(kT + 86400)), "token expired");

  json noExp = claims();
  noExp.erase("exp");
  expectRefused(hs256().verify(mintJwt("HS256", kSecret, noExp), at(kT)), "token has no exp claim");
  json textExp = claims();
  textExp["exp"] = "tomorrow";
  expectRefused(hs256().verify(mintJwt("HS256", kSecret, textExp), at(kT)), "exp claim is not a number");
}

TEST_F(JwtVerifierTest, NbfInTheFutureIsRefusedBeyondTheLeeway) {
  json c = claims();
  c["nbf"] = kT + 600;
  expectRefused(hs256().verify(mintJwt("HS256", kSecret, c), at(kT)), "token not valid yet");
  c["nbf"] = kT + 30;  // a clock 30 s ahead at the issuer
  EXPECT_TRUE(hs256().verify(mintJwt("HS256", kSecret, c), at(kT)).principal);
}

TEST_F(JwtVerifierTest, RolesMustBeAnArrayOfStrings) {
  const std::string problem = "roles claim must be an array of strings";
  json noRoles = claims();
  noRoles.erase("roles");
  expectRefused(hs256().verify(mintJwt("HS256", kSecret, noRoles), at(kT)), problem);
  for (const json& bad : {json("admin"), json::array({1}), json::array({"reader", nullptr}), json::object()}) {
    expectRefused(hs256().verify(mintJwt("HS256", kSecret, claims(bad)), at(kT)), problem);
  }
  // No role the node knows: a valid token that grants nothing (the routes answer 403).
  const auto none = hs256().verify(mintJwt("HS256", kSecret, claims(json::array({"billing"}))), at(kT));
  ASSERT_TRUE(none.principal);
  EXPECT_TRUE(none.principal->roles.empty());
}

TEST_F(JwtVerifierTest, MalformedTokensAreRefused) {
  for (const std::string& bad :
       std::vector<std::string>{"", "abc", "a.b", "a.b.c.d", "!!!.e30.", "e30.e30.", std::string(9000, 'a')}) {
    expectRefused(hs256().verify(bad, at(kT)), "malformed token");
  }
}

TEST(JwtVerifierSetup, NeedsOneKeyPerAlgorithm) {
  EXPECT_THROW(JwtVerifier({}), medvqa::Error);
  EXPECT_THROW(JwtVerifier({JwtKey{JwtAlgorithm::HS256, kSecret, "a"}, JwtKey{JwtAlgorithm::HS256, kSecret, "b"}}),
               medvqa::Error);
}

// A fresh folder for key files, removed with them.
class KeyFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "medvqa-jwt-keys-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name, std::ios::binary) << content;
    fs::permissions(dir_ / name, fs::perms::owner_read | fs::perms::owner_write);
    return dir_ / name;
  }
  static std::string errorOf(const std::function<void()>& load) {
    try {
      load();
    } catch (const medvqa::Error& e) {
      return e.what();
    }
    return "";
  }
  fs::path dir_;
};

TEST_F(KeyFiles, Hs256SecretDropsOneTrailingLineBreakAndNeeds32Bytes) {
  EXPECT_EQ(medvqa::auth::loadHs256Secret(write("s1", kSecret + "\n")).material, kSecret);
  EXPECT_EQ(medvqa::auth::loadHs256Secret(write("s2", kSecret + "\r\n")).material, kSecret);
  EXPECT_EQ(medvqa::auth::loadHs256Secret(write("s3", kSecret)).material, kSecret);
  const fs::path shortSecret = write("short", "too-short\n");
  const std::string error = errorOf([&] { medvqa::auth::loadHs256Secret(shortSecret); });
  EXPECT_NE(error.find(shortSecret.string()), std::string::npos) << error;
  EXPECT_NE(error.find("at least 32"), std::string::npos) << error;
  const std::string missing = errorOf([&] { medvqa::auth::loadHs256Secret(dir_ / "absent"); });
  EXPECT_NE(missing.find((dir_ / "absent").string() + ": cannot read"), std::string::npos) << missing;
}

TEST_F(KeyFiles, Rs256PublicKeyMustBeAnRsaPublicKeyOf2048BitsOrMore) {
  const RsaKeyPair pair = medvqa::test::makeRsaKeyPair();
  EXPECT_EQ(medvqa::auth::loadRs256PublicKey(write("public.pem", pair.publicPem)).material, pair.publicPem);
  const fs::path privateFile = write("private.pem", pair.privatePem);
  const std::string privateError = errorOf([&] { medvqa::auth::loadRs256PublicKey(privateFile); });
  EXPECT_NE(privateError.find(privateFile.string()), std::string::npos) << privateError;
  EXPECT_NE(privateError.find("this is a private key"), std::string::npos) << privateError;
  const fs::path small = write("small.pem", medvqa::test::makeRsaKeyPair(1024).publicPem);
  EXPECT_NE(errorOf([&] { medvqa::auth::loadRs256PublicKey(small); }).find("1024 bits"), std::string::npos);
  const fs::path junk = write("junk.pem", "hello");
  EXPECT_NE(errorOf([&] { medvqa::auth::loadRs256PublicKey(junk); }).find("not a PEM public key"), std::string::npos);
}

}  // namespace
