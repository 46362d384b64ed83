#include <Poco/SyslogChannel.h>

#include "agent/log_channels.h"

namespace cks::agent {

// syslog(3) reaches journald on systemd machines and rsyslog elsewhere.
Poco::AutoPtr<Poco::Channel> makeSystemLogChannel() {
  return new Poco::SyslogChannel("cks-agent", Poco::SyslogChannel::SYSLOG_PID,
                                 Poco::SyslogChannel::SYSLOG_DAEMON);
}

}  // namespace cks::agent
