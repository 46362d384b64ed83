#include <gtest/gtest.h>

#include "agent/api_route.h"
#include "agent/local_api.h"

namespace cks::agent {
namespace {

TEST(ApiRouteTest, APatternMatchesSegmentBySegmentAndNamesItsParameters) {
  const auto params = matchPath("/v1/alerts/{id}/ack", "/v1/alerts/12/ack");
  ASSERT_TRUE(params);
  EXPECT_EQ(params->at("id"), "12");
  EXPECT_FALSE(matchPath("/v1/alerts/{id}/ack", "/v1/alerts/12/snooze"));
  EXPECT_FALSE(matchPath("/v1/alerts/{id}/ack", "/v1/alerts/12"));
  EXPECT_FALSE(matchPath("/v1/alerts/{id}/ack", "/v1/alerts/12/ack/more"));
  EXPECT_FALSE(matchPath("/v1/status", "/v1/status/"));
}

TEST(ApiRouteTest, ARestParameterTakesWhatIsLeftEvenNothing) {
  const auto some = matchPath("/v1/reports/{year}/{rest...}", "/v1/reports/2025/a/b");
  ASSERT_TRUE(some);
  EXPECT_EQ(some->at("year"), "2025");
  EXPECT_EQ(some->at("rest"), "a/b");
  const auto none = matchPath("/v1/reports/{year}/{rest...}", "/v1/reports/2025");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->at("rest"), "");
  EXPECT_FALSE(matchPath("/v1/reports/{year}/{rest...}", "/v1/reports"));
}

TEST(ApiRouteTest, TheFirstRouteOfTheMethodAnswers) {
  const std::vector<Route<int>> table = {{"GET", "/v1/requests/{id}", 1},
                                         {"POST", "/v1/requests/{id}/cancel", 2},
                                         {"*", "/v1/{any...}", 3}};
  EXPECT_EQ(findRoute(table, "GET", "/v1/requests/ab12")->route->endpoint, 1);
  EXPECT_EQ(findRoute(table, "POST", "/v1/requests/ab12/cancel")->route->endpoint, 2);
  EXPECT_EQ(findRoute(table, "POST", "/v1/requests/ab12")->route->endpoint, 3);
  EXPECT_FALSE(findRoute(table, "GET", "/v2/status"));
}

TEST(LocalApiRouteTest, EveryDocumentedEndpointHasItsRoute) {
  EXPECT_EQ(localApiRoute("GET", "/v1/status"), "/v1/status");
  EXPECT_EQ(localApiRoute("GET", "/v1/certificates"), "/v1/certificates");
  EXPECT_EQ(localApiRoute("POST", "/v1/alerts/12/ack"), "/v1/alerts/{id}/ack");
  EXPECT_EQ(localApiRoute("POST", "/v1/alerts/12/snooze"), "/v1/alerts/{id}/snooze");
  EXPECT_EQ(localApiRoute("GET", "/v1/requests/3f2a9c1e"), "/v1/requests/{id}");
  EXPECT_EQ(localApiRoute("POST", "/v1/requests/3f2a9c1e/cancel"), "/v1/requests/{id}/cancel");
  EXPECT_EQ(localApiRoute("GET", "/v1/mergers/published"), "/v1/mergers/published");
  EXPECT_EQ(localApiRoute("GET", "/v1/reports/2025/draft"), "/v1/reports/{year}/draft");
  EXPECT_EQ(localApiRoute("POST", "/v1/reports/2025/submit"), "/v1/reports/{year}/submit");
}

// An unknown path and a known path with another method are both no endpoint: 404, as the
// local API has always answered (not 405).
TEST(LocalApiRouteTest, AnUnknownPathOrAnotherMethodIsNotFound) {
  EXPECT_FALSE(localApiRoute("GET", "/v1/nothing"));
  EXPECT_FALSE(localApiRoute("GET", "/v2/status"));
  EXPECT_FALSE(localApiRoute("GET", "/v1/scan"));
  EXPECT_FALSE(localApiRoute("DELETE", "/v1/status"));
  EXPECT_FALSE(localApiRoute("GET", "/v1/alerts/12/ack"));
  EXPECT_FALSE(localApiRoute("GET", "/v1/requests/3f2a9c1e/cancel"));
  const ApiReply reply = notAnEndpoint("GET", "/v1/scan");
  EXPECT_EQ(reply.status, 404);
  EXPECT_EQ(
      reply.body,
      R"({"error":"not_found","message":"GET /v1/scan is not an endpoint of the local API"})");
}

}  // namespace
}  // namespace cks::agent
