#include "hub/log_channel.h"

#include <Poco/ConsoleChannel.h>
#include <Poco/FileChannel.h>
#include <Poco/FormattingChannel.h>
#include <Poco/PatternFormatter.h>
#include <Poco/SplitterChannel.h>

namespace cks::hub {

Poco::AutoPtr<Poco::Channel> makeLogChannel(const HubConfig& config) {
  Poco::AutoPtr<Poco::SplitterChannel> splitter(new Poco::SplitterChannel);
  auto formatted = [](Poco::AutoPtr<Poco::Channel> channel, const char* pattern) {
    Poco::AutoPtr<Poco::PatternFormatter> formatter(new Poco::PatternFormatter(pattern));
    formatter->setProperty("times", "UTC");
    return Poco::AutoPtr<Poco::Channel>(new Poco::FormattingChannel(formatter, channel));
  };
  if (config.log_console) {
    splitter->addChannel(formatted(new Poco::ConsoleChannel, "%Y-%m-%dT%H:%M:%S.%iZ %p %t"));
  }
  if (!config.log_file.empty()) {
    Poco::AutoPtr<Poco::FileChannel> file(new Poco::FileChannel(config.log_file));
    file->setProperty("rotation", config.log_rotation);
    file->setProperty("archive", "number");
    file->setProperty("purgeCount", std::to_string(config.log_keep));
    file->setProperty("flush", "false");
    splitter->addChannel(
        formatted(Poco::AutoPtr<Poco::Channel>(file), "%Y-%m-%dT%H:%M:%S.%iZ [%P] %p %t"));
  }
  return splitter;
}

}  // namespace cks::hub
