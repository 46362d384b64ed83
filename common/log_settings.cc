#include "common/log_settings.h"

#include <Poco/ConsoleChannel.h>
#include <Poco/FileChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/PatternFormatter.h>
#include <Poco/SplitterChannel.h>

#include <mutex>

#include "core/control_characters.h"

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

// Poco's FileChannel flushes every line or none. Every line costs a write per line of a busy
// scan; none loses the last lines before a crash or a kill, which are the warnings and errors
// that explain it. A warning or worse is flushed at once, and with it every line before it.
class LogFileChannel final : public Poco::FileChannel {
 public:
  explicit LogFileChannel(const std::string& path) : Poco::FileChannel(path) {}

  void log(const Poco::Message& message) override {
    const bool urgent = message.getPriority() <= Poco::Message::PRIO_WARNING;
    std::lock_guard lock(mutex_);  // the flush property is the channel's, not the message's
    if (urgent) setProperty("flush", "true");
    Poco::FileChannel::log(message);
    if (urgent) setProperty("flush", "false");
  }

 private:
  std::mutex mutex_;
};

// Each message stays one line whatever it quotes: a label, a name or a host an agency chose
// may hold a line end (which would forge a log line of its own) or an escape sequence (which
// the terminal of whoever reads the log would obey). Their control characters are escaped.
class OneLineChannel final : public Poco::Channel {
 public:
  explicit OneLineChannel(Poco::AutoPtr<Poco::Channel> next) : next_(std::move(next)) {}

  void open() override { next_->open(); }
  void close() override { next_->close(); }
  void log(const Poco::Message& message) override {
    if (!hasControlCharacters(message.getText())) return next_->log(message);
    Poco::Message escaped(message);
    escaped.setText(escapeControlCharacters(message.getText()));
    next_->log(escaped);
  }

 private:
  Poco::AutoPtr<Poco::Channel> next_;
};

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
    Poco::AutoPtr<Poco::FileChannel> log_file(new LogFileChannel(settings.file));
    log_file->setProperty("rotation", settings.rotation);
    log_file->setProperty("archive", "number");
    log_file->setProperty("purgeCount", std::to_string(settings.keep));
    log_file->setProperty("flush", "false");
    splitter->addChannel(
        formatted(Poco::AutoPtr<Poco::Channel>(log_file), "%Y-%m-%dT%H:%M:%S.%iZ [%P] %p %t"));
  }
  return new OneLineChannel(splitter);
}

}  // namespace cks::common
