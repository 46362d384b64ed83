#include "core/messages.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "agent/agent_catalogue.h"
#include "core/certificate.h"
#include "core/subscriber_kind.h"
#include "core/token.h"
#include "core/utf8.h"
#include "hub/hub_catalogue.h"
#include "print/print_catalogue.h"
#include "tray/core/tray_catalogue.h"

namespace cks {
namespace {

TEST(MessagesTest, Utf8ValidatorAcceptsVietnameseAndRejectsBrokenBytes) {
  // core's validator guards every catalogue entry, so it must itself tell good from bad.
  EXPECT_TRUE(isValidUtf8("Chứng thư số"));
  EXPECT_TRUE(isValidUtf8("ASCII only"));
  EXPECT_TRUE(isValidUtf8("\xF0\x9F\x94\x91"));  // U+1F511, four bytes
  EXPECT_FALSE(isValidUtf8("Ch\xE1\xBB"));       // truncated "ứ"
  EXPECT_FALSE(isValidUtf8("\x80"));
  EXPECT_FALSE(isValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(isValidUtf8("\xE0\x80\xAF"));      // overlong '/'
  EXPECT_FALSE(isValidUtf8("\xED\xA0\x80"));      // surrogate U+D800
  EXPECT_FALSE(isValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(isValidUtf8("Ch\xF9ng"));          // Windows-1258 style single byte
}

TEST(MessagesTest, CatalogueIsStrictlySortedByKey) {
  // message() finds keys by binary search; an entry out of order would silently go missing.
  const auto keys = messageKeys();
  ASSERT_FALSE(keys.empty());
  for (size_t i = 1; i < keys.size(); ++i) {
    EXPECT_LT(keys[i - 1], keys[i]) << "entry " << i;
  }
}

TEST(MessagesTest, EachTableIsStrictlySortedByKey) {
  // Each table is searched on its own; an entry out of order would silently go missing.
  const auto tables = messageTables();
  ASSERT_EQ(tables.size(), 5u);  // core's, the agent's, the hub's, print's, the tray's
  for (size_t t = 0; t < tables.size(); ++t) {
    ASSERT_FALSE(tables[t].empty()) << "table " << t;
    for (size_t i = 1; i < tables[t].size(); ++i) {
      EXPECT_LT(tables[t][i - 1].key, tables[t][i].key) << "table " << t << " entry " << i;
    }
  }
}

TEST(MessagesTest, KeysAreUniqueAcrossTables) {
  // A key in two tables would be found in whichever is searched first.
  std::set<std::string_view> seen;
  for (const MessageTable table : messageTables()) {
    for (const MessageEntry& entry : table) EXPECT_TRUE(seen.insert(entry.key).second) << entry.key;
  }
}

TEST(MessagesTest, EveryEntryHasVietnameseAndEnglish) {
  for (const MessageTable table : messageTables()) {
    for (const MessageEntry& entry : table) {
      EXPECT_FALSE(entry.vi.empty()) << entry.key;
      EXPECT_FALSE(entry.en.empty()) << entry.key;
    }
  }
}

TEST(MessagesTest, EachProgramTableHoldsItsOwnersKeys) {
  // The tables by owner: a key a program shows is found through that program's tables.
  const auto holds = [](MessageTable table, std::string_view key) {
    return std::any_of(table.begin(), table.end(),
                       [&](const MessageEntry& e) { return e.key == key; });
  };
  EXPECT_TRUE(holds(domainMessages(), "pin.locked"));
  EXPECT_TRUE(holds(agent::agentMessages(), "doctor.title"));
  EXPECT_TRUE(holds(hub::hubMessages(), "hub.admin.usage"));
  EXPECT_TRUE(holds(print::printMessages(), "form.date"));
  EXPECT_TRUE(holds(tray::trayMessages(), "tray.usage"));
}

// The literals in the sources that look like catalogue keys ("prefix.rest", the prefix being
// one the catalogue uses), with the file they are in.
std::vector<std::pair<std::string, std::string>> keysInSources() {
  std::set<std::string> prefixes;
  for (const std::string_view key : messageKeys()) {
    prefixes.insert(std::string(key.substr(0, key.find('.'))));
  }
  const std::regex literal(R"re("([a-z_]+)((\.[a-z0-9_]+)+)")re");
  std::vector<std::pair<std::string, std::string>> found;
  const std::filesystem::path root = CKS_SOURCE_DIR;
  for (const char* module : {"core", "agent", "hub", "print", "tray", "store", "sync"}) {
    for (const auto& file : std::filesystem::recursive_directory_iterator(root / module)) {
      const auto extension = file.path().extension();
      if (extension != ".cc" && extension != ".h") continue;
      if (file.path().filename().string().ends_with("_catalogue.cc")) continue;
      std::ifstream in(file.path());
      const std::string text((std::istreambuf_iterator<char>(in)), {});
      for (auto it = std::sregex_iterator(text.begin(), text.end(), literal);
           it != std::sregex_iterator(); ++it) {
        if (prefixes.count((*it)[1].str()) == 0) continue;
        found.emplace_back(file.path().lexically_relative(root).string(),
                           (*it)[1].str() + (*it)[2].str());
      }
    }
  }
  return found;
}

TEST(MessagesTest, EveryKeyUsedInTheSourcesIsInTheCatalogue) {
  // Keys are split over five tables; a key left behind in the wrong one (or none) shows as
  // "[key]". The hub and print modules also prefix keys themselves ("hub.", "print.").
  // Literals shaped like keys that are not: SQL columns in hub/, a state name of the agent, the
  // hub's audit trail actions (hub/province/staff_service.h).
  const std::set<std::string> not_keys = {"request.id",        "report.agency", "merger.published",
                                          "report.deadline",   "report.upward", "merger.publish",
                                          "request.transition"};
  const auto keys = messageKeys();
  const auto known = [&](const std::string& key) {
    return std::binary_search(keys.begin(), keys.end(), std::string_view(key));
  };
  const auto found = keysInSources();
  EXPECT_GT(found.size(), 500u);  // the scan does find the keys
  for (const auto& [file, key] : found) {
    if (not_keys.count(key) != 0 || key.ends_with('_')) continue;  // "mail.count_" + severity
    if (file.starts_with("hub/") && known("hub." + key)) continue;
    if (file.starts_with("print/") && known("print." + key)) continue;
    EXPECT_TRUE(known(key)) << key << " in " << file;
  }
}

TEST(MessagesTest, CatalogueAsJsonHoldsEveryEntryVerbatim) {
  Poco::JSON::Parser parser;
  const auto root = parser.parse(messagesJson()).extract<Poco::JSON::Object::Ptr>();
  const auto keys = messageKeys();
  ASSERT_EQ(root->size(), keys.size());
  for (const MessageTable table : messageTables()) {
    for (const MessageEntry& entry : table) {
      const auto texts = root->getObject(std::string(entry.key));
      ASSERT_TRUE(texts) << entry.key;
      EXPECT_EQ(texts->getValue<std::string>("vi"), entry.vi) << entry.key;
      EXPECT_EQ(texts->getValue<std::string>("en"), entry.en) << entry.key;
    }
  }
  // Keys in order, quotes and line breaks escaped.
  const std::string json = messagesJson();
  EXPECT_LT(json.find("\"alert.advice.done\""), json.find("\"yes\""));
  EXPECT_EQ(json.find('\t'), std::string::npos);
}

TEST(MessagesTest, CatalogueAsTextHasALineForEveryKeyInItsLanguage) {
  for (const Language language : {Language::Vietnamese, Language::English}) {
    const std::string text = messagesText(language);
    std::vector<std::string> keys;  // of the lines that start with a key
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      if (line.starts_with("    ")) continue;  // a text's further line
      const auto equals = line.find(" = ");
      ASSERT_NE(equals, std::string::npos) << line;
      keys.push_back(line.substr(0, equals));
    }
    const auto expected = messageKeys();
    ASSERT_EQ(keys.size(), expected.size());
    for (size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(keys[i], expected[i]);
  }
  EXPECT_NE(messagesText(Language::Vietnamese).find("\npin.locked = Đã khóa PIN\n"),
            std::string::npos);
  EXPECT_NE(messagesText(Language::English).find("\ncerts.title = Certificates\n"),
            std::string::npos);
}

TEST(MessagesTest, EveryKeyIsFoundInBothLanguages) {
  for (const std::string_view key : messageKeys()) {
    const std::string bracketed = "[" + std::string(key) + "]";
    const std::string vi = message(Language::Vietnamese, key);
    const std::string en = message(Language::English, key);
    EXPECT_FALSE(vi.empty()) << key;
    EXPECT_FALSE(en.empty()) << key;
    EXPECT_NE(vi, bracketed) << key;
    EXPECT_NE(en, bracketed) << key;
  }
}

TEST(MessagesTest, EveryTextIsValidUtf8) {
  for (const std::string_view key : messageKeys()) {
    EXPECT_TRUE(isValidUtf8(message(Language::Vietnamese, key))) << key;
    EXPECT_TRUE(isValidUtf8(message(Language::English, key))) << key;
  }
}

TEST(MessagesTest, VietnameseIsTheTextOfTheVietnameseCatalogue) {
  EXPECT_EQ(message(Language::Vietnamese, "certs.title"), "Chứng thư số");
  EXPECT_EQ(message(Language::English, "certs.title"), "Certificates");
  EXPECT_EQ(message(Language::Vietnamese, "pin.locked"), "Đã khóa PIN");
}

TEST(MessagesTest, EveryStateShownToUsersHasALabel) {
  // cksctl builds these keys from the wire names; a missing one would print "[pin.locked]".
  std::vector<std::string> keys;
  for (const PinState state : {PinState::Ok, PinState::CountLow, PinState::FinalTry,
                               PinState::Locked, PinState::Unknown}) {
    keys.push_back("pin." + std::string(toString(state)));
  }
  for (const CertificateStatus status :
       {CertificateStatus::Valid, CertificateStatus::Expiring, CertificateStatus::Expired,
        CertificateStatus::NotYetValid, CertificateStatus::Unparseable}) {
    keys.push_back("certstatus." + std::string(toString(status)));
  }
  for (const SubscriberKind kind : {SubscriberKind::Individual, SubscriberKind::Organization,
                                    SubscriberKind::Device, SubscriberKind::Unknown}) {
    keys.push_back("kind." + std::string(toString(kind)));
  }
  for (const char* outcome : {"ok", "failed", "timeout"}) {
    keys.push_back("module." + std::string(outcome));
  }
  for (const std::string& key : keys) {
    EXPECT_NE(message(Language::Vietnamese, key), "[" + key + "]");
    EXPECT_NE(message(Language::English, key), "[" + key + "]");
  }
}

TEST(MessagesTest, FirstAndLastKeysAreFound) {
  // Binary searches tend to break at the ends.
  const auto keys = messageKeys();
  ASSERT_FALSE(keys.empty());
  EXPECT_NE(message(Language::English, keys.front()), "[" + std::string(keys.front()) + "]");
  EXPECT_NE(message(Language::English, keys.back()), "[" + std::string(keys.back()) + "]");
}

TEST(MessagesTest, SubstitutesNumberedPlaceholders) {
  EXPECT_EQ(message(Language::Vietnamese, "certs.count", {"12"}), "Tổng cộng 12 chứng thư số.");
  EXPECT_EQ(message(Language::English, "scan.done", {"2", "5"}),
            "Scan finished: 2 token(s) plugged in, 5 certificate(s).");
  EXPECT_EQ(message(Language::English, "status.counts", {"1", "3", "7", "2", "0"}),
            "Tokens: 1 plugged in / 3 known. Certificates: 7 (expiring: 2, expired: 0).");
}

TEST(MessagesTest, SubstitutesArgumentsInTheOrderThePlaceholdersName) {
  EXPECT_EQ(message(Language::Vietnamese, "status.agent", {"0.1.0", "PC-VANTHU"}),
            "Dịch vụ cks-agent 0.1.0 đang chạy trên máy PC-VANTHU.");
}

TEST(MessagesTest, ArgumentsAreInsertedVerbatim) {
  // A user-supplied argument that looks like a placeholder must not be expanded again.
  EXPECT_EQ(message(Language::English, "cli.unknown_command", {"{0}"}), "Unknown command: \"{0}\"");
  EXPECT_EQ(message(Language::English, "cli.unknown_command", {"tập tin"}),
            "Unknown command: \"tập tin\"");
}

TEST(MessagesTest, UnknownKeyComesBackInBrackets) {
  EXPECT_EQ(message(Language::Vietnamese, "no.such.key"), "[no.such.key]");
  EXPECT_EQ(message(Language::English, "certs"), "[certs]");
  EXPECT_EQ(message(Language::English, ""), "[]");
  EXPECT_EQ(message(Language::English, "aaa"), "[aaa]");
  EXPECT_EQ(message(Language::English, "zzz"), "[zzz]");
}

TEST(MessagesTest, ParseLanguageAcceptsCodesAndLocaleNames) {
  Language language = Language::English;
  EXPECT_TRUE(parseLanguage("vi", language));
  EXPECT_EQ(language, Language::Vietnamese);

  EXPECT_TRUE(parseLanguage("en", language));
  EXPECT_EQ(language, Language::English);

  EXPECT_TRUE(parseLanguage("vi_VN", language));
  EXPECT_EQ(language, Language::Vietnamese);

  EXPECT_TRUE(parseLanguage("en_US.UTF-8", language));
  EXPECT_EQ(language, Language::English);

  EXPECT_TRUE(parseLanguage("vi_VN.UTF-8", language));
  EXPECT_EQ(language, Language::Vietnamese);
}

TEST(MessagesTest, ParseLanguageRejectsOtherLanguagesAndWords) {
  for (const std::string_view text : {"fr", "", "vietnamese", "english", "v", "C", "POSIX"}) {
    Language language = Language::English;
    EXPECT_FALSE(parseLanguage(text, language)) << '"' << text << '"';
    EXPECT_EQ(language, Language::English) << '"' << text << '"';
  }
}

}  // namespace
}  // namespace cks
