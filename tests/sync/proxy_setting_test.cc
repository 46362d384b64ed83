#include "sync/client/proxy_setting.h"

#include <gtest/gtest.h>

#include <map>

namespace cks::sync {
namespace {

EnvironmentLookup environment(std::map<std::string, std::string> values) {
  return [values = std::move(values)](const std::string& name) -> std::optional<std::string> {
    const auto found = values.find(name);
    if (found == values.end()) return std::nullopt;
    return found->second;
  };
}

std::string resolved(const std::string& setting, const std::string& host,
                     std::map<std::string, std::string> env = {}) {
  const auto proxy = resolveProxy(setting, host, environment(std::move(env)));
  if (!proxy) return "error: " + proxy.error().message;
  return *proxy ? (*proxy)->url() : "direct";
}

TEST(ProxySettingTest, EmptySettingConnectsDirectly) {
  EXPECT_EQ(resolved("", "hub.quangngai.gov.vn", {{"https_proxy", "http://p:3128"}}), "direct");
}

TEST(ProxySettingTest, ExplicitProxyIsUsed) {
  EXPECT_EQ(resolved("http://10.0.0.1:3128", "hub"), "http://10.0.0.1:3128");
  EXPECT_EQ(resolved("proxy.local:3128", "hub"), "http://proxy.local:3128");
  EXPECT_EQ(resolved("http://proxy.local", "hub"), "http://proxy.local:8080");
  EXPECT_EQ(resolved("http://[fd00::1]:3128/", "hub"), "http://[fd00::1]:3128");
}

TEST(ProxySettingTest, CredentialsAreDecoded) {
  const auto proxy = resolveProxy("http://van%20thu:p%40ss@proxy:3128", "hub", environment({}));
  ASSERT_TRUE(proxy && *proxy);
  EXPECT_EQ((*proxy)->username, "van thu");
  EXPECT_EQ((*proxy)->password, "p@ss");
  EXPECT_EQ((*proxy)->url(), "http://proxy:3128");  // no secrets in logs
}

TEST(ProxySettingTest, BadProxiesAreRefusedWithTheSettingNamed) {
  EXPECT_EQ(resolved("https://proxy:3128", "hub"),
            "error: proxy setting: proxy scheme \"https\" is not supported (use http://host:port: "
            "the tunnel to the hub is TLS anyway)");
  EXPECT_EQ(resolved("http://proxy:99999", "hub"),
            "error: proxy setting: bad port \"99999\" in \"http://proxy:99999\"");
  EXPECT_EQ(resolved("env", "hub", {{"https_proxy", "http://:3128"}}),
            "error: https_proxy: no host in \"http://:3128\"");
}

TEST(ProxySettingTest, EnvReadsLowerCaseFirst) {
  EXPECT_EQ(resolved("env", "hub",
                     {{"https_proxy", "http://lower:1"}, {"HTTPS_PROXY", "http://upper:2"}}),
            "http://lower:1");
  EXPECT_EQ(resolved("env", "hub", {{"HTTPS_PROXY", "http://upper:2"}}), "http://upper:2");
  EXPECT_EQ(resolved("env", "hub", {}), "direct");
  EXPECT_EQ(resolved("env", "hub", {{"http_proxy", "http://plain:3"}}), "direct");
}

TEST(ProxySettingTest, NoProxyBypassesMatchingHosts) {
  const std::map<std::string, std::string> env = {
      {"https_proxy", "http://proxy:3128"},
      {"no_proxy", "localhost, .quangngai.gov.vn,10.1.2.3:443"}};
  EXPECT_EQ(resolved("env", "hub.quangngai.gov.vn", env), "direct");
  EXPECT_EQ(resolved("env", "quangngai.gov.vn", env), "direct");
  EXPECT_EQ(resolved("env", "LOCALHOST", env), "direct");
  EXPECT_EQ(resolved("env", "10.1.2.3", env), "direct");
  EXPECT_EQ(resolved("env", "hub.gov.vn", env), "http://proxy:3128");
  EXPECT_EQ(resolved("env", "evilquangngai.gov.vn", env), "http://proxy:3128");
  EXPECT_EQ(resolved("env", "anything", {{"https_proxy", "http://p:1"}, {"NO_PROXY", "*"}}),
            "direct");
}

}  // namespace
}  // namespace cks::sync
