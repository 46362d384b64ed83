// E-mail digests of the agent's alerts (docs/alerts.md, "E-mail"): who gets which alerts, the
// text of one recipient's digest, an SMTP sender (STARTTLS or implicit TLS, AUTH PLAIN/LOGIN)
// and AlertMailer, which the agent's timer ticks once a minute and which sends each recipient
// at most one digest a day. composeDigest is pure; SmtpSender::send is safe to call from one
// thread at a time; AlertMailer is driven by one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <Poco/Logger.h>

#include "agent/agent_config.h"
#include "core/alert.h"
#include "core/clock.h"
#include "core/messages.h"
#include "core/result.h"
#include "store/alerts.h"
#include "store/inventory.h"

namespace cks::agent {

// What one recipient's rules select: every alert of at least `at_least` (when set), and every
// alert whose kind is in `kinds`.
struct RecipientRules {
  std::optional<Severity> at_least;
  std::set<AlertKind> kinds;

  [[nodiscard]] bool selects(AlertKind kind, Severity severity) const;
};

// Every recipient named in [email] with the union of their rules: `to` selects everything,
// to_SEVERITY alerts of at least that severity, to.KIND that kind. Keyed by the address in
// lower case (the same mailbox written twice is one recipient).
[[nodiscard]] std::map<std::string, RecipientRules> mailRecipients(const EmailSettings& email);

// What a digest's text needs besides the alerts.
struct DigestContext {
  std::string agency;  // "UBND xã Bình Chương" (from enrolment; the host name before it)
  std::string host;    // this PC's name, for the footer
  Language language = Language::Vietnamese;
  TimePoint since{};  // the recipient's previous digest
  TimePoint now{};
  std::chrono::seconds utc_offset{0};  // local time = UTC + offset, for the times in the text
};

struct MailDigest {
  std::string subject;
  std::string body;                     // plain text, UTF-8, lines end with "\n"
  std::vector<std::int64_t> alert_ids;  // in the order the body lists them
  int new_count = 0;                    // raised, resolved or reopened after `since`
};

// One recipient's digest. Of `alerts` (the store's current alerts together with those changed
// since `since`; duplicates by id are ignored), those `rules` select that are open now, or
// were raised or resolved after `since`; grouped by severity, critical first (newest first
// within a group), then those resolved since the last digest. nullopt when none of them is new
// since `since`: there is nothing to send.
[[nodiscard]] std::optional<MailDigest> composeDigest(const RecipientRules& rules,
                                                      const std::vector<store::AlertRecord>& alerts,
                                                      const DigestContext& context);

struct OutgoingMail {
  std::string to;
  std::string subject;  // UTF-8; encoded for the header by the sender
  std::string body;     // UTF-8 plain text
};

// Where digests go: SMTP in the agent, a fake in tests.
class MailSender {
 public:
  virtual ~MailSender() = default;
  // Delivers one message to the server (not to the mailbox); the error says where and what.
  [[nodiscard]] virtual Status send(const OutgoingMail& mail) = 0;
};

// The password in `path` (its first line), refused when others may read the file.
[[nodiscard]] Result<std::string> readMailPassword(const std::string& path);

// SMTP with Poco::Net: STARTTLS (refuses a server that does not offer it), implicit TLS or,
// for a server on this PC only, none; AUTH PLAIN or LOGIN when `user` is set, the password
// read from its file at each sending (so fixing it needs no restart). Every step is bounded by
// settings.timeout. The server's certificate is checked against the system's CAs and ca_file,
// and its name against `server`.
class SmtpSender final : public MailSender {
 public:
  SmtpSender(EmailSettings settings, std::string helo_name)
      : settings_(std::move(settings)), helo_name_(std::move(helo_name)) {}
  [[nodiscard]] Status send(const OutgoingMail& mail) override;

 private:
  EmailSettings settings_;
  std::string helo_name_;
};

// The local time zone's offset from UTC at `at` (the machine's zone, daylight saving included).
[[nodiscard]] std::chrono::seconds localUtcOffset(TimePoint at);

// Sends the daily digests. tick(now), called about once a minute, does nothing before today's
// digest_time (local time); after it, each recipient who has not had today's digest and has
// something new gets one. The instant of each recipient's last digest is kept in the store
// (store::Outbox state "email.last_digest.ADDRESS"), so a restart does not send it again. A
// failed sending logs a warning and is tried again 15 minutes later; nothing is lost, since a
// digest is made from the store each time.
class AlertMailer {
 public:
  using UtcOffset = std::function<std::chrono::seconds(TimePoint)>;

  AlertMailer(const AgentConfig& config, store::Inventory& inventory, MailSender& sender,
              Poco::Logger& logger, UtcOffset utc_offset = localUtcOffset);

  void tick(TimePoint now);

  static constexpr std::chrono::minutes kRetryInterval{15};

 private:
  void run(TimePoint now);

  const EmailSettings& email_;
  std::string host_;
  store::Inventory& inventory_;
  MailSender& sender_;
  Poco::Logger& logger_;
  UtcOffset utc_offset_;
  std::map<std::string, RecipientRules> recipients_;
  std::optional<TimePoint> retry_at_;
};

}  // namespace cks::agent
