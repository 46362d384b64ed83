#include "agent/alert_mail.h"

#include <Poco/DateTime.h>
#include <Poco/Exception.h>
#include <Poco/LocalDateTime.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SMTPClientSession.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timestamp.h>
#include <Poco/UUIDGenerator.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/time_format.h"
#include "store/outbox.h"

namespace cks::agent {
namespace {

using namespace std::chrono_literals;

std::string lower(std::string text) {
  for (char& c : text) c = char(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// "07:15 11/05/2026" in local time.
std::string localTime(TimePoint at, std::chrono::seconds offset) {
  const auto local = at + offset;
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::year_month_day date(day);
  const std::chrono::hh_mm_ss time(local - day);
  char text[32];
  std::snprintf(text, sizeof text, "%02d:%02d %02u/%02u/%04d", int(time.hours().count()),
                int(time.minutes().count()), unsigned(date.day()), unsigned(date.month()),
                int(date.year()));
  return text;
}

std::string localDate(TimePoint at, std::chrono::seconds offset) {
  return localTime(at, offset).substr(6);
}

// Raised, resolved or open again (a snooze ran out) since `since`. An acknowledgement or a
// snooze is not news: the person who did it knows.
bool isNew(const store::AlertRecord& alert, TimePoint since) {
  if (alert.raised_at > since) return true;
  if (alert.state == AlertState::Resolved) return alert.changed_at > since;
  if (alert.state != AlertState::Open) return false;
  return alert.changed_at > since || (alert.snoozed_until && *alert.snoozed_until > since);
}

bool isListed(const store::AlertRecord& alert, TimePoint since) {
  if (alert.state == AlertState::Resolved) return alert.changed_at > since;
  return alert.state == AlertState::Open || alert.raised_at > since;
}

std::string stateText(const store::AlertRecord& alert, const DigestContext& context) {
  const Language language = context.language;
  switch (alert.state) {
    case AlertState::Open:
      return message(language, "mail.state_open");
    case AlertState::Acknowledged:
      return message(language, "mail.state_acknowledged");
    case AlertState::Snoozed:
      return message(language, "mail.state_snoozed",
                     {alert.snoozed_until ? localDate(*alert.snoozed_until, context.utc_offset)
                                          : std::string("?")});
    case AlertState::Resolved: {
      const std::string key = "mail.state_resolved_" + alert.resolution;
      const auto keys = messageKeys();
      const bool known = std::find(keys.begin(), keys.end(), key) != keys.end();
      return message(language, known ? key : "mail.state_resolved");
    }
  }
  return {};
}

void appendAlert(std::string& body, const store::AlertRecord& alert, const DigestContext& context) {
  body += "[" + std::to_string(alert.id) + "] " +
          alertMessage(context.language, alert.text(), context.now) + "\n";
  body +=
      "     " +
      message(context.language, "mail.raised", {localTime(alert.raised_at, context.utc_offset)}) +
      " · " + stateText(alert, context);
  if (alert.raised_at > context.since) body += " · " + message(context.language, "mail.state_new");
  body += "\n";
}

}  // namespace

bool RecipientRules::selects(AlertKind kind, Severity severity) const {
  return (at_least && severity >= *at_least) || kinds.count(kind) > 0;
}

std::map<std::string, RecipientRules> mailRecipients(const EmailSettings& email) {
  std::map<std::string, RecipientRules> recipients;
  auto atLeast = [&](const std::string& address, Severity severity) {
    auto& rules = recipients[lower(address)];
    if (!rules.at_least || severity < *rules.at_least) rules.at_least = severity;
  };
  for (const auto& address : email.to) atLeast(address, Severity::Info);
  for (const auto& [severity, addresses] : email.at_least) {
    for (const auto& address : addresses) atLeast(address, severity);
  }
  for (const auto& [kind, addresses] : email.kinds) {
    for (const auto& address : addresses) recipients[lower(address)].kinds.insert(kind);
  }
  return recipients;
}

std::optional<MailDigest> composeDigest(const RecipientRules& rules,
                                        const std::vector<store::AlertRecord>& alerts,
                                        const DigestContext& context) {
  std::set<std::int64_t> seen;
  std::map<Severity, std::vector<const store::AlertRecord*>, std::greater<>> active;
  std::vector<const store::AlertRecord*> resolved;
  int new_count = 0;
  for (const auto& alert : alerts) {
    if (!seen.insert(alert.id).second) continue;
    if (!rules.selects(alert.kind, alert.severity) || !isListed(alert, context.since)) continue;
    new_count += isNew(alert, context.since);
    if (alert.state == AlertState::Resolved) {
      resolved.push_back(&alert);
    } else {
      active[alert.severity].push_back(&alert);
    }
  }
  if (new_count == 0) return std::nullopt;

  const Language language = context.language;
  MailDigest digest;
  digest.new_count = new_count;
  auto newest_raised = [](const store::AlertRecord* a, const store::AlertRecord* b) {
    return a->raised_at != b->raised_at ? a->raised_at > b->raised_at : a->id > b->id;
  };

  std::string counts;
  for (const auto& [severity, list] : active) {
    const std::string key = "mail.count_" + std::string(toString(severity));
    counts += (counts.empty() ? "" : ", ") + message(language, key, {std::to_string(list.size())});
  }
  if (counts.empty()) counts = message(language, "mail.subject_resolved");
  digest.subject = message(language, "mail.subject", {context.agency, counts});

  std::string& body = digest.body;
  body += message(language, "mail.intro",
                  {context.agency, localDate(context.now, context.utc_offset),
                   std::to_string(new_count)}) +
          "\n";
  for (auto& [severity, list] : active) {
    std::sort(list.begin(), list.end(), newest_raised);
    const std::string key = "mail.group_" + std::string(toString(severity));
    body += "\n" + message(language, key, {std::to_string(list.size())}) + "\n\n";
    for (const auto* alert : list) {
      appendAlert(body, *alert, context);
      digest.alert_ids.push_back(alert->id);
    }
  }
  if (!resolved.empty()) {
    std::sort(resolved.begin(), resolved.end(), [](const auto* a, const auto* b) {
      return a->changed_at != b->changed_at ? a->changed_at > b->changed_at : a->id > b->id;
    });
    body +=
        "\n" + message(language, "mail.group_resolved", {std::to_string(resolved.size())}) + "\n\n";
    for (const auto* alert : resolved) {
      appendAlert(body, *alert, context);
      digest.alert_ids.push_back(alert->id);
    }
  }
  body += "\n-- \n";
  const std::string example =
      std::to_string(digest.alert_ids.empty() ? 1 : digest.alert_ids.front());
  body += message(language, "mail.ack", {example}) + "\n";
  body += message(language, "mail.automatic", {context.host}) + "\n";
  return digest;
}

Result<std::string> readMailPassword(const std::string& path) {
  if (auto checked = checkOwnerOnly(path, Language::English); !checked) {  // for the log
    return fail("e-mail: password_file ", checked.error().message);
  }
  std::ifstream in(path, std::ios::binary);
  std::string password;
  if (!in || !std::getline(in, password)) {
    return fail("e-mail: password_file ", path, ": cannot read it");
  }
  while (!password.empty() && (password.back() == '\r' || password.back() == '\n')) {
    password.pop_back();
  }
  if (password.empty()) return fail("e-mail: password_file ", path, ": empty");
  return password;
}

namespace {

// SMTPClientSession with the steps Poco keeps protected: the EHLO answer (to see which
// extensions the server offers), STARTTLS that checks the certificate against the server's
// name (SecureSMTPClientSession only knows the name when it opens the connection itself, which
// has no connect timeout), and AUTH with a chosen mechanism.
class SmtpSession : public Poco::Net::SMTPClientSession {
 public:
  using SMTPClientSession::SMTPClientSession;

  std::string hello(const std::string& name) {
    std::string response;
    login(name, response);
    return response;
  }

  bool startTls(const std::string& server, Poco::Net::Context::Ptr context) {
    std::string response;
    if (!isPositiveCompletion(sendCommand("STARTTLS", response))) return false;
    socket() = Poco::Net::SecureStreamSocket::attach(socket(), server, context);
    return true;
  }

  // Raises Poco::Net::SMTPException when the server refuses the credentials.
  void authenticate(const std::string& ehlo, const std::string& user, const std::string& password) {
    std::string offered;
    std::istringstream lines(ehlo);
    for (std::string line; std::getline(lines, line);) {
      const auto at = line.find("AUTH");
      if (at != std::string::npos && at <= 4) offered = line.substr(at + 4);
    }
    auto offers = [&](const std::string& mechanism) {
      std::istringstream words(offered);
      for (std::string word; words >> word;) {
        if (word == mechanism || word == "=" + mechanism) return true;
      }
      return false;
    };
    if (offers("PLAIN")) {
      loginUsingPlain(user, password);
    } else if (offers("LOGIN")) {
      loginUsingLogin(user, password);
    } else {
      throw Poco::Net::SMTPException(
          offered.empty() ? "the server offers no authentication (AUTH) here"
                          : "the server offers neither AUTH PLAIN nor LOGIN:" + offered);
    }
  }
};

bool offersExtension(const std::string& ehlo, const std::string& name) {
  std::istringstream lines(ehlo);
  for (std::string line; std::getline(lines, line);) {
    if (line.size() >= 4 + name.size() && line.compare(4, name.size(), name) == 0) return true;
  }
  return false;
}

Poco::Net::Context::Ptr clientContext(const EmailSettings& settings) {
  Poco::Net::Context::Params params;
  // STRICT: with RELAXED, Poco skips the host name check for "localhost" and 127.0.0.1.
  params.verificationMode = Poco::Net::Context::VERIFY_STRICT;
  params.loadDefaultCAs = true;
  params.caLocation = settings.ca_file;
  params.cipherList = "HIGH:!aNULL:!eNULL:!MD5";
  return new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, params);
}

}  // namespace

Status SmtpSender::send(const OutgoingMail& mail) {
  const std::string where =
      "e-mail: smtp " + settings_.server + ":" + std::to_string(settings_.port);
  std::string password;
  if (!settings_.user.empty()) {
    auto read = readMailPassword(settings_.password_file);
    if (!read) return tl::unexpected(read.error());
    password = std::move(*read);
  }
  try {
    Poco::Net::MailMessage message;
    message.setSender(settings_.from);
    message.addRecipient(
        Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT, mail.to));
    message.setSubject(Poco::Net::MailMessage::encodeWord(mail.subject, "UTF-8"));
    message.setContentType("text/plain; charset=UTF-8");
    message.setContent(mail.body, Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
    message.set("Auto-Submitted", "auto-generated");
    message.set("Message-ID", "<" + Poco::UUIDGenerator().createRandom().toString() + "." +
                                  helo_name_ + settings_.from.substr(settings_.from.find('@')) +
                                  ">");

    const Poco::Timespan timeout(
        std::chrono::duration_cast<std::chrono::microseconds>(settings_.timeout).count());
    const Poco::Net::SocketAddress address(settings_.server, Poco::UInt16(settings_.port));
    Poco::Net::StreamSocket socket;
    if (settings_.security == EmailSettings::Security::Tls) {
      Poco::Net::SecureStreamSocket secure(clientContext(settings_));
      secure.setPeerHostName(settings_.server);
      secure.connect(address, timeout);
      socket = secure;
    } else {
      socket.connect(address, timeout);
    }
    socket.setReceiveTimeout(timeout);
    socket.setSendTimeout(timeout);

    SmtpSession session(socket);
    session.setTimeout(timeout);
    std::string ehlo = session.hello(helo_name_);
    if (settings_.security == EmailSettings::Security::StartTls) {
      if (!offersExtension(ehlo, "STARTTLS") ||
          !session.startTls(settings_.server, clientContext(settings_))) {
        return fail(where,
                    ": the server does not offer STARTTLS (security = starttls): "
                    "nothing was sent");
      }
      ehlo = session.hello(helo_name_);  // RFC 3207: start again after TLS
    }
    if (!settings_.user.empty()) session.authenticate(ehlo, settings_.user, password);
    session.sendMessage(message);
    try {
      session.close();
    } catch (const Poco::Exception&) {
      // The message was accepted; a QUIT that fails changes nothing.
    }
    return ok();
  } catch (const Poco::Exception& error) {
    return fail(where, ": ", error.displayText());
  } catch (const std::exception& error) {
    return fail(where, ": ", error.what());
  }
}

std::chrono::seconds localUtcOffset(TimePoint at) {
  const Poco::Timestamp stamp = Poco::Timestamp::fromEpochTime(at.time_since_epoch().count());
  return std::chrono::seconds(Poco::LocalDateTime(Poco::DateTime(stamp)).tzd());
}

AlertMailer::AlertMailer(const AgentConfig& config, store::Inventory& inventory, MailSender& sender,
                         Poco::Logger& logger, UtcOffset utc_offset)
    : email_(config.email),
      host_(config.host_name),
      inventory_(inventory),
      sender_(sender),
      logger_(logger),
      utc_offset_(std::move(utc_offset)),
      recipients_(mailRecipients(config.email)) {}

void AlertMailer::tick(TimePoint now) {
  if (!email_.enabled() || recipients_.empty()) return;
  if (retry_at_ && now < *retry_at_) return;
  try {
    run(now);
  } catch (const std::exception& error) {
    logger_.warning("e-mail: digest: %s", std::string(error.what()));
    retry_at_ = now + kRetryInterval;
  }
}

void AlertMailer::run(TimePoint now) {
  const std::chrono::seconds offset = utc_offset_(now);
  const auto local_midnight = std::chrono::floor<std::chrono::days>(now + offset);
  const TimePoint digest_at = TimePoint(local_midnight) +
                              std::chrono::duration_cast<std::chrono::seconds>(email_.digest_time) -
                              offset;
  if (now < digest_at) return;

  store::Outbox outbox(inventory_);
  store::Alerts alerts(inventory_);
  auto store_failed = [&](const Error& error) {
    logger_.warning("e-mail: digest: %s; trying again in 15 minutes", error.message);
    retry_at_ = now + kRetryInterval;
  };

  // Who is due (no digest yet today), and since when each was last told.
  std::map<std::string, TimePoint> due;
  for (const auto& [address, rules] : recipients_) {
    auto last = outbox.state("email.last_digest." + address);
    if (!last) return store_failed(last.error());
    std::optional<TimePoint> previous = *last ? parseIsoUtc(**last) : std::nullopt;
    if (previous && *previous >= digest_at) continue;
    // A first digest covers the open alerts and the last day's changes, not all history.
    due[address] = previous ? *previous : now - std::chrono::days(1);
  }
  if (due.empty()) return;

  TimePoint earliest = now;
  for (const auto& [address, since] : due) earliest = std::min(earliest, since);
  auto current = alerts.list(false, now);
  if (!current) return store_failed(current.error());
  auto changed = alerts.changedSince(earliest, now);
  if (!changed) return store_failed(changed.error());
  std::vector<store::AlertRecord> records = std::move(*current);
  records.insert(records.end(), changed->begin(), changed->end());

  std::string agency = host_;
  if (auto name = outbox.state("agency_name"); name && *name && !(*name)->empty()) agency = **name;

  bool failed = false;
  for (const auto& [address, since] : due) {
    const DigestContext context{agency, host_, email_.language, since, now, offset};
    const auto digest = composeDigest(recipients_.at(address), records, context);
    if (!digest) continue;
    const auto sent = sender_.send(OutgoingMail{address, digest->subject, digest->body});
    if (!sent) {
      logger_.warning("e-mail: digest to %s not sent (%s); trying again in 15 minutes", address,
                      sent.error().message);
      failed = true;
      continue;
    }
    if (auto saved = outbox.setState("email.last_digest." + address, formatIsoUtc(now)); !saved) {
      logger_.error("e-mail: digest to %s sent, but not recorded (%s): it may be sent again",
                    address, saved.error().message);
      failed = true;
      continue;
    }
    logger_.information("e-mail: digest sent to %s (%z alerts, %d new)", address,
                        digest->alert_ids.size(), digest->new_count);
  }
  retry_at_ = failed ? std::optional<TimePoint>(now + kRetryInterval) : std::nullopt;
}

}  // namespace cks::agent
