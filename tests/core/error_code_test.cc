// The error kinds (core/error_code.h, core/result.h): `fail` makes an Internal error unless told
// a kind, `wrap` keeps the kind, and each kind has one HTTP status and one exit code, the ones
// clients and scripts already rely on (docs/local-api.md, docs/hub.md).
#include "core/error_code.h"

#include <gtest/gtest.h>

#include "core/result.h"

namespace cks {
namespace {

Status refused(ErrorCode code) { return fail(code, "alert ", std::to_string(7), " is resolved"); }

TEST(ErrorCodeTest, FailWithoutAKindIsInternal) {
  const Status status = fail("store: open ", std::string("/tmp/agent.db"), ": disk I/O error");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::Internal);
  EXPECT_EQ(status.error().message, "store: open /tmp/agent.db: disk I/O error");
}

TEST(ErrorCodeTest, FailWithAKindKeepsItAndTheMessage) {
  const Status status = refused(ErrorCode::FailedPrecondition);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, ErrorCode::FailedPrecondition);
  EXPECT_EQ(status.error().message, "alert 7 is resolved");
}

TEST(ErrorCodeTest, WrapKeepsTheKind) {
  const Error wrapped = refused(ErrorCode::Unavailable).error().wrap("ack");
  EXPECT_EQ(wrapped.code, ErrorCode::Unavailable);
  EXPECT_EQ(wrapped.message, "ack: alert 7 is resolved");
}

TEST(ErrorCodeTest, EachKindHasTheHttpStatusClientsSee) {
  EXPECT_EQ(httpStatus(ErrorCode::NotFound), 404);
  EXPECT_EQ(httpStatus(ErrorCode::InvalidArgument), 400);
  EXPECT_EQ(httpStatus(ErrorCode::Conflict), 409);
  EXPECT_EQ(httpStatus(ErrorCode::FailedPrecondition), 409);  // "resolved": already 409
  EXPECT_EQ(httpStatus(ErrorCode::Unavailable), 503);         // a busy store: try again
  EXPECT_EQ(httpStatus(ErrorCode::PermissionDenied), 403);
  EXPECT_EQ(httpStatus(ErrorCode::Internal), 500);
  EXPECT_EQ(httpStatus(ErrorCode::DataLoss), 500);  // the server's own file is damaged
  EXPECT_STREQ(errorKindName(ErrorCode::DataLoss), "data_loss");
}

TEST(ErrorCodeTest, EachKindHasTheExitCodeScriptsSee) {
  EXPECT_EQ(exitCode(ErrorCode::Internal), 1);
  EXPECT_EQ(exitCode(ErrorCode::NotFound), 1);
  EXPECT_EQ(exitCode(ErrorCode::Conflict), 1);
  EXPECT_EQ(exitCode(ErrorCode::FailedPrecondition), 1);
  EXPECT_EQ(exitCode(ErrorCode::InvalidArgument), 2);
  EXPECT_EQ(exitCode(ErrorCode::PermissionDenied), 2);
  EXPECT_EQ(exitCode(ErrorCode::Unavailable), 4);
  EXPECT_EQ(exitCode(ErrorCode::DataLoss), 1);
}

TEST(ErrorCodeTest, AClientReadsTheKindBackFromTheStatus) {
  for (const auto code : {ErrorCode::NotFound, ErrorCode::InvalidArgument, ErrorCode::Unavailable,
                          ErrorCode::PermissionDenied, ErrorCode::Internal}) {
    EXPECT_EQ(errorCodeOfHttpStatus(httpStatus(code)), code) << httpStatus(code);
  }
  // Conflict and FailedPrecondition share 409; a client reads Conflict.
  EXPECT_EQ(errorCodeOfHttpStatus(409), ErrorCode::Conflict);
  EXPECT_EQ(errorCodeOfHttpStatus(401), ErrorCode::PermissionDenied);
  EXPECT_EQ(errorCodeOfHttpStatus(502), ErrorCode::Unavailable);  // a hub that did not answer
  EXPECT_EQ(errorCodeOfHttpStatus(422), ErrorCode::InvalidArgument);
  EXPECT_EQ(errorCodeOfHttpStatus(507), ErrorCode::Internal);
}

}  // namespace
}  // namespace cks
