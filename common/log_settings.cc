#include "common/log_settings.h"

#include <Poco/ConsoleChannel.h>
#include <Poco/FileChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/PatternFormatter.h>
#include <Poco/SplitterChannel.h>

namespace cks::common {
namespace {

bool level(const std::string& text, LogSettings& settings, const PathResolver&) {
  static const char* kLevels[] = {"fatal",  "critical",    "error", "warning",
                                  "notice", "information", "debug", "trace"};
  for (const char* known : kLevels) {
    if (text == known) return settings.level = text, true;
  }
  return false;
}

bool file(const std::string& text, LogSettings& settings, const PathResolver& resolve) {
  settings.file = text.empty() ? text : resolve(text);
  return true;
}

// "10 M", "500 K": Poco's FileChannel rotation by size.
bool rotation(const std::string& text, LogSettings& settings, const PathResolver&) {
  int size = 0;
  const auto space = text.find(' ');
  const std::string number = text.substr(0, space);
  const std::string unit = space == std::string::npos ? "" : text.substr(space + 1);
  if (!parseConfigInt(number, 1, 100000, size) || (unit != "K" && unit != "M")) return false;
  settings.rotation = text;
  return true;
}

bool keep(const std::string& text, LogSettings& settings, const PathResolver&) {
  return parseConfigInt(text, 1, 100, settings.keep);
}

bool syslog(const std::string& text, LogSettings& settings, const PathResolver&) {
  return parseConfigBool(text, settings.syslog);
}

bool console(const std::string& text, LogSettings& settings, const PathResolver&) {
  return parseConfigBool(text, settings.console);
}

}  // namespace

std::vector<LogKey> logKeys(bool with_syslog) {
  std::vector<LogKey> keys = {{"level", level, {"config.expect.log_level"}},
                              {"file", file, {"config.expect.log_file"}},
                              {"rotation", rotation, {"config.expect.log_rotation"}},
                              {"keep", keep, {"config.expect.log_keep"}},
                              {"console", console, {"config.expect.bool"}}};
  if (with_syslog) keys.push_back({"syslog", syslog, {"config.expect.bool"}});
  return keys;
}

Poco::AutoPtr<Poco::Channel> makeLogChannel(const LogSettings& settings,
                                            Poco::AutoPtr<Poco::Channel> system_log) {
  Poco::AutoPtr<Poco::SplitterChannel> splitter(new Poco::SplitterChannel);
  auto formatted = [](Poco::AutoPtr<Poco::Channel> channel, const char* pattern) {
    Poco::AutoPtr<Poco::PatternFormatter> formatter(new Poco::PatternFormatter(pattern));
    formatter->setProperty("times", "UTC");
    return Poco::AutoPtr<Poco::Channel>(new Poco::FormattingChannel(formatter, channel));
  };
  if (settings.console) {
    splitter->addChannel(formatted(new Poco::ConsoleChannel, "%Y-%m-%dT%H:%M:%S.%iZ %p %t"));
  }
  if (settings.syslog && system_log) splitter->addChannel(formatted(system_log, "%t"));
  if (!settings.file.empty()) {
    Poco::AutoPtr<Poco::FileChannel> log_file(new Poco::FileChannel(settings.file));
    log_file->setProperty("rotation", settings.rotation);
    log_file->setProperty("archive", "number");
    log_file->setProperty("purgeCount", std::to_string(settings.keep));
    log_file->setProperty("flush", "false");
    splitter->addChannel(
        formatted(Poco::AutoPtr<Poco::Channel>(log_file), "%Y-%m-%dT%H:%M:%S.%iZ [%P] %p %t"));
  }
  return splitter;
}

}  // namespace cks::common
