// AWS Signature Version 4, checked against AWS's own published vectors: the Signature Version 4
// test suite (credentials AKIDEXAMPLE, region us-east-1, service "service", 2015-08-30T12:36:00Z;
// canonical request, string to sign and Authorization header of each case) and the worked
// examples of the S3 API reference ("Signature Calculations for the Authorization Header",
// examplebucket, service "s3").
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "common/error.h"
#include "s3/digest.h"
#include "s3/sigv4.h"

namespace {

using medvqa::s3::Credentials;
using medvqa::s3::NameValues;
using medvqa::s3::RequestToSign;
using medvqa::s3::SignedRequest;
using medvqa::s3::SigningScope;
using medvqa::s3::sha256Hex;
using medvqa::s3::signV4;
using medvqa::s3::uriEncode;

const Credentials kSuiteCredentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"};
const SigningScope kSuiteScope{"us-east-1", "service"};
const std::string kSuiteDate = "20150830T123600Z";
const std::string kEmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

struct SuiteCase {
  std::string name;
  std::string method;
  std::string path;  // as in the suite's request line, before encoding
  NameValues query;
  NameValues extraHeaders;  // besides Host and X-Amz-Date
  std::string body;
  std::string canonicalRequest;  // empty where the suite's case is checked by its signature only
  std::string stringToSign;
  std::string authorization;
};

std::string authz(const std::string& signedHeaders, const std::string& signature) {
  return "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=" +
         signedHeaders + ", Signature=" + signature;
}

std::string sts(const std::string& canonicalRequestHash) {
  return "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n" + canonicalRequestHash;
}

const std::vector<SuiteCase>& suite() {
  static const std::vector<SuiteCase> cases = {
      {"get-vanilla", "GET", "/", {}, {}, "",
       "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + kEmptySha256,
       sts("bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"),
       authz("host;x-amz-date", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")},
      {"get-vanilla-query-order-key-case", "GET", "/", {{"Param2", "value2"}, {"Param1", "value1"}}, {}, "",
       "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
       "host;x-amz-date\n" + kEmptySha256,
       sts("816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0"),
       authz("host;x-amz-date", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")},
      {"get-header-key-duplicate", "GET", "/", {},
       {{"My-Header1", "value2"}, {"My-Header1", "value2"}, {"My-Header1", "value1"}}, "",
       "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value2,value2,value1\nx-amz-date:20150830T123600Z\n\n"
       "host;my-header1;x-amz-date\n" + kEmptySha256,
       sts("dc7f04a3abfde8d472b0ab1a418b741b7c67174dad1551b4117b15527fbe966c"),
       authz("host;my-header1;x-amz-date", "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea")},
      {"get-header-value-trim", "GET", "/", {}, {{"My-Header1", " value1"}, {"My-Header2", " \"a   b   c\""}}, "",
       "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\nx-amz-date:20150830T123600Z\n\n"
       "host;my-header1;my-header2;x-amz-date\n" + kEmptySha256,
       sts("a726db9b0df21c14f559d0a978e563112acb1b9e05476f0a6a1c7d68f28605c7"),
       authz("host;my-header1;my-header2;x-amz-date", "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736")},
      {"get-vanilla-utf8-query", "GET", "/", {{"\xE1\x88\xB4", "bar"}}, {}, "",
       "GET\n/\n%E1%88%B4=bar\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" +
           kEmptySha256,
       sts("eb30c5bed55734080471a834cc727ae56beb50e5f39d1bff6d0d38cb192a7073"),
       authz("host;x-amz-date", "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04")},
      {"post-x-www-form-urlencoded", "POST", "/", {}, {{"Content-Type", "application/x-www-form-urlencoded"}},
       "Param1=value1",
       "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\n"
       "x-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n"
       "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
       sts("42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281"),
       authz("content-type;host;x-amz-date", "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a")},
      {"get-utf8", "GET", "/\xE1\x88\xB4", {}, {}, "", "", "",
       authz("host;x-amz-date", "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85")},
      {"get-unreserved", "GET", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", {}, {}, "", "",
       "", authz("host;x-amz-date", "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f")},
      {"get-vanilla-query-unreserved", "GET", "/",
       {{"-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
         "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"}},
       {}, "", "", "", authz("host;x-amz-date", "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197")},
      {"post-vanilla", "POST", "/", {}, {}, "", "", "",
       authz("host;x-amz-date", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")},
      {"post-vanilla-query", "POST", "/", {{"Param1", "value1"}}, {}, "", "", "",
       authz("host;x-amz-date", "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11")},
      {"post-vanilla-query-nonunreserved", "POST", "/", {{"@#$%^", ""}, {"+", "/,?><`\";:\\|][{}"}}, {}, "", "", "",
       authz("host;x-amz-date", "66c82657c86e26fb25238d0e69f011edc4c6df5ae71119d7cb98ed9b87393c1e")},
      {"post-header-value-case", "POST", "/", {}, {{"My-Header1", "VALUE1"}}, "", "", "",
       authz("host;my-header1;x-amz-date", "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d")},
      {"post-sts-header-before", "POST", "/", {},
       {{"X-Amz-Security-Token",
         "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8Y"
         "UuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8"
         "YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICC"
         "R/oLxBA=="}},
       "", "", "",
       authz("host;x-amz-date;x-amz-security-token", "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead")},
  };
  return cases;
}

SignedRequest signSuiteCase(const SuiteCase& c) {
  RequestToSign request{c.method, uriEncode(c.path, true), c.query,
                        {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", kSuiteDate}}, sha256Hex(c.body)};
  request.headers.insert(request.headers.end(), c.extraHeaders.begin(), c.extraHeaders.end());
  return signV4(request, kSuiteCredentials, kSuiteScope, kSuiteDate);
}

TEST(S3SigV4, MatchesEveryCaseOfAwsSignatureV4TestSuite) {
  for (const auto& c : suite()) {
    SCOPED_TRACE(c.name);
    const SignedRequest signedRequest = signSuiteCase(c);
    if (!c.canonicalRequest.empty()) {
      EXPECT_EQ(signedRequest.canonicalRequest, c.canonicalRequest);
      EXPECT_EQ(signedRequest.stringToSign, c.stringToSign);
    }
    EXPECT_EQ(signedRequest.authorization, c.authorization);
  }
}

// The S3 API reference's worked examples: bucket "examplebucket", path-style key under it.
const Credentials kS3DocCredentials{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"};
const SigningScope kS3DocScope{"us-east-1", "s3"};
const std::string kS3DocDate = "20130524T000000Z";

SignedRequest signS3Doc(const std::string& method, const std::string& key, const NameValues& query,
                        const NameValues& extraHeaders, const std::string& body) {
  RequestToSign request{method, "/" + uriEncode(key, true), query,
                        {{"Host", "examplebucket.s3.amazonaws.com"}, {"x-amz-content-sha256", sha256Hex(body)},
                         {"x-amz-date", kS3DocDate}},
                        sha256Hex(body)};
  request.headers.insert(request.headers.end(), extraHeaders.begin(), extraHeaders.end());
  return signV4(request, kS3DocCredentials, kS3DocScope, kS3DocDate);
}

TEST(S3SigV4, MatchesTheS3ReferenceGetObjectExample) {
  const SignedRequest r = signS3Doc("GET", "test.txt", {}, {{"Range", "bytes=0-9"}}, "");
  EXPECT_EQ(r.canonicalRequest,
            "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
            "x-amz-content-sha256:" + kEmptySha256 + "\nx-amz-date:20130524T000000Z\n\n"
            "host;range;x-amz-content-sha256;x-amz-date\n" + kEmptySha256);
  EXPECT_EQ(r.stringToSign,
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  EXPECT_EQ(r.signature, "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  EXPECT_EQ(r.authorization,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

// A PUT whose payload hash is signed (what the node's uploads do) and whose key needs encoding.
TEST(S3SigV4, MatchesTheS3ReferencePutObjectExample) {
  const SignedRequest r = signS3Doc("PUT", "test$file.text", {},
                                    {{"Date", "Fri, 24 May 2013 00:00:00 GMT"}, {"x-amz-storage-class", "REDUCED_REDUNDANCY"}},
                                    "Welcome to Amazon S3.");
  EXPECT_EQ(sha256Hex("Welcome to Amazon S3."), "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  EXPECT_NE(r.canonicalRequest.find("\n/test%24file.text\n"), std::string::npos) << r.canonicalRequest;
  EXPECT_EQ(r.signedHeaders, "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class");
  EXPECT_EQ(r.stringToSign,
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
            "9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d");
  EXPECT_EQ(r.signature, "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST(S3SigV4, MatchesTheS3ReferenceQueryExamples) {
  EXPECT_EQ(signS3Doc("GET", "", {{"lifecycle", ""}}, {}, "").signature,
            "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
  EXPECT_EQ(signS3Doc("GET", "", {{"max-keys", "2"}, {"prefix", "J"}}, {}, "").signature,
            "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST(S3SigV4, AWrongSecretOrPayloadChangesTheSignature) {
  const SuiteCase& vanilla = suite().front();
  const std::string good = signSuiteCase(vanilla).signature;
  RequestToSign request{"GET", "/", {}, {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", kSuiteDate}}, sha256Hex("x")};
  EXPECT_NE(signV4(request, kSuiteCredentials, kSuiteScope, kSuiteDate).signature, good);
  request.payloadSha256 = kEmptySha256;
  EXPECT_EQ(signV4(request, kSuiteCredentials, kSuiteScope, kSuiteDate).signature, good);
  EXPECT_NE(signV4(request, {"AKIDEXAMPLE", "another secret"}, kSuiteScope, kSuiteDate).signature, good);
}

TEST(S3SigV4, RefusesARequestWithoutHostOrWithAnotherDate) {
  RequestToSign noHost{"GET", "/", {}, {{"X-Amz-Date", kSuiteDate}}, kEmptySha256};
  EXPECT_THROW(signV4(noHost, kSuiteCredentials, kSuiteScope, kSuiteDate), medvqa::Error);
  RequestToSign otherDate{"GET", "/", {}, {{"Host", "h"}, {"X-Amz-Date", "20150830T123601Z"}}, kEmptySha256};
  EXPECT_THROW(signV4(otherDate, kSuiteCredentials, kSuiteScope, kSuiteDate), medvqa::Error);
}

TEST(S3SigV4, EncodesKeysLikeS3AndFormatsTheDate) {
  EXPECT_EQ(uriEncode("medvqa/1.2.3/4.5/6.7.dcm", true), "medvqa/1.2.3/4.5/6.7.dcm");
  EXPECT_EQ(uriEncode("a b+c/d", true), "a%20b%2Bc/d");
  EXPECT_EQ(uriEncode("a/b", false), "a%2Fb");
  using namespace std::chrono;
  EXPECT_EQ(medvqa::s3::amzDate(system_clock::time_point(seconds(1440938160))), kSuiteDate);
}

}  // namespace
