#include <gtest/gtest.h>

#include "auth/basic_auth.h"

namespace medvqa::auth {
namespace {

TEST(BasicAuthUser, NamesTheUserOfAWellFormedCredential) {
  EXPECT_EQ(basicAuthUser("Basic YWxpY2U6c2VjcmV0"), "alice");        // alice:secret
  EXPECT_EQ(basicAuthUser("basic   YWxpY2U6c2VjcmV0  "), "alice");   // scheme is case-insensitive
  EXPECT_EQ(basicAuthUser("Basic ZHIuYjo="), "dr.b");                 // dr.b: (empty password)
  EXPECT_EQ(basicAuthUser("Basic bWVkdnFhOnA6YXNz"), "medvqa");       // medvqa:p:ass, ':' in the password
}

TEST(BasicAuthUser, RefusesWhatIsNotABasicCredential) {
  EXPECT_FALSE(basicAuthUser(""));
  EXPECT_FALSE(basicAuthUser("Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln"));
  EXPECT_FALSE(basicAuthUser("Basic "));
  EXPECT_FALSE(basicAuthUser("Basic not*base64!"));
  EXPECT_FALSE(basicAuthUser("Basic YWxpY2U="));    // "alice": no colon
  EXPECT_FALSE(basicAuthUser("Basic OnNlY3JldA=="));  // ":secret": no user
  EXPECT_FALSE(basicAuthUser("Basic " + std::string(5000, 'A')));
}

}  // namespace
}  // namespace medvqa::auth
