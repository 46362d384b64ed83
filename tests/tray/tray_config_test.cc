#include "tray/core/tray_config.h"

#include <gtest/gtest.h>

#include "tests/support/temp_dir.h"
#include "tray/core/http_message.h"
#include "tray/core/tray_options.h"

namespace cks::tray {
namespace {

TEST(TrayConfigTest, ReadsPortSecretAndLanguageFromTheAgentsFile) {
  test::TempDir dir;
  test::writeFile(dir.file("agent.ini"),
                  "[agent]\nlanguage = en\n[pkcs11]\nmodules = /x.so\n[api]\nport = 9123\n"
                  "secret_file = secrets/api.secret\n[hub]\ndir = hub\n");
  auto config = loadTrayConfig(dir.file("agent.ini"));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->port, 9123);
  EXPECT_EQ(config->secret_file, dir.file("secrets/api.secret"));  // relative to the file
  EXPECT_EQ(config->language, Language::English);
}

TEST(TrayConfigTest, DefaultsMatchTheAgent) {
  auto config = parseTrayConfig("[pkcs11]\nmodules = /x.so\n", "agent.ini", "/etc/cks");
  ASSERT_TRUE(config);
  EXPECT_EQ(config->port, 8737);
  EXPECT_EQ(config->secret_file, "/var/lib/cks/api.secret");
  EXPECT_EQ(config->language, Language::Vietnamese);
}

TEST(TrayConfigTest, NamesFileLineAndKeyOfABadValue) {
  auto port = parseTrayConfig("[api]\n\nport = 80x\n", "/etc/cks/agent.ini", "/etc/cks");
  ASSERT_FALSE(port);
  EXPECT_EQ(port.error().message,
            "/etc/cks/agent.ini:3: [api] port: giá trị \"80x\" không hợp lệ (cần một cổng TCP từ 1 "
            "đến 65535)");
  auto english =
      parseTrayConfig("[api]\n\nport = 80x\n", "/etc/cks/agent.ini", "/etc/cks", Language::English);
  ASSERT_FALSE(english);
  EXPECT_EQ(english.error().message,
            "/etc/cks/agent.ini:3: [api] port: bad value \"80x\" (expected a TCP port from 1 to "
            "65535)");
  auto language = parseTrayConfig("[agent]\nlanguage = fr\n", "a.ini", "");
  ASSERT_FALSE(language);
  EXPECT_NE(language.error().message.find("a.ini:2: [agent] language"), std::string::npos);
  EXPECT_FALSE(loadTrayConfig("/nonexistent/agent.ini"));
}

TEST(TrayConfigTest, ReadsTheSecretWithoutItsNewline) {
  test::TempDir dir;
  test::writeFile(dir.file("api.secret"), "s3cr3t\n");
  EXPECT_EQ(readApiSecret(dir.file("api.secret")).value_or(""), "s3cr3t");
  test::writeFile(dir.file("empty"), "\n");
  EXPECT_FALSE(readApiSecret(dir.file("empty")));
  auto missing = readApiSecret(dir.file("missing"));
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("cannot read the API secret"), std::string::npos);
}

TEST(TrayOptionsTest, ParsesTheCommandLine) {
  auto options = parseTrayOptions(
      {"--config", "/x/agent.ini", "--lang", "en", "--state", "/s", "--check", "--quit-after", "5"},
      "/etc/cks/agent.ini", Language::Vietnamese);
  ASSERT_TRUE(options) << options.error().message;
  EXPECT_EQ(options->config, "/x/agent.ini");
  EXPECT_EQ(options->language, Language::English);
  EXPECT_EQ(options->state_file, "/s");
  EXPECT_TRUE(options->check);
  EXPECT_EQ(options->quit_after_seconds, 5);
  auto defaults = parseTrayOptions({}, "/etc/cks/agent.ini", Language::Vietnamese);
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->config, "/etc/cks/agent.ini");
  EXPECT_FALSE(defaults->language);
  auto unknown = parseTrayOptions({"--pin", "1234"}, "", Language::Vietnamese);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().message, "Tùy chọn không hợp lệ: \"--pin\"");
  EXPECT_FALSE(parseTrayOptions({"--config"}, "", Language::Vietnamese));
  EXPECT_FALSE(parseTrayOptions({"--lang", "fr"}, "", Language::Vietnamese));
  EXPECT_FALSE(parseTrayOptions({"--quit-after", "0"}, "", Language::Vietnamese));
}

TEST(HttpMessageTest, WritesAnAuthenticatedRequest) {
  const std::string request = httpRequest("POST", "/v1/alerts/3/ack", 8737, "abc", "");
  EXPECT_EQ(request.rfind("POST /v1/alerts/3/ack HTTP/1.1\r\n", 0), 0u);
  EXPECT_NE(request.find("Authorization: Bearer abc\r\n"), std::string::npos);
  EXPECT_NE(request.find("Content-Length: 0\r\n"), std::string::npos);
  EXPECT_EQ(request.substr(request.size() - 4), "\r\n\r\n");
}

TEST(HttpMessageTest, ParsesLengthChunkedAndClosedResponses) {
  const std::string sized = "HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\n{\"a\":1}";
  EXPECT_TRUE(httpResponseComplete(sized));
  EXPECT_FALSE(httpResponseComplete(sized.substr(0, sized.size() - 1)));
  auto answer = parseHttpResponse(sized);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(answer->body, "{\"a\":1}");

  const std::string chunked =
      "HTTP/1.1 401 Unauthorized\r\ntransfer-encoding: "
      "chunked\r\n\r\n4\r\n{\"e\"\r\n3\r\n:1}\r\n0\r\n\r\n";
  EXPECT_TRUE(httpResponseComplete(chunked));
  answer = parseHttpResponse(chunked);
  ASSERT_TRUE(answer) << answer.error().message;
  EXPECT_EQ(answer->status, 401);
  EXPECT_EQ(answer->body, "{\"e\":1}");

  const std::string closed = "HTTP/1.0 200 OK\r\n\r\n[1,2]";
  EXPECT_FALSE(httpResponseComplete(closed));
  EXPECT_EQ(parseHttpResponse(closed).value_or(HttpAnswer{}).body, "[1,2]");

  EXPECT_FALSE(parseHttpResponse("garbage"));
  EXPECT_FALSE(parseHttpResponse("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nshort"));
}

}  // namespace
}  // namespace cks::tray
