#include "core/labels.h"

#include <gtest/gtest.h>

#include <string>

namespace cks {
namespace {

// A label found in the catalogue in both languages (an unknown key comes back in brackets).
template <typename Enum>
void expectLabelled(Enum value) {
  for (const Language language : {Language::Vietnamese, Language::English}) {
    const std::string text = label(value, language);
    EXPECT_FALSE(text.empty()) << toString(value);
    EXPECT_NE(text.front(), '[') << text;
  }
}

TEST(LabelsTest, EveryValueOfEveryEnumHasALabel) {
  for (const auto v : {SubscriberKind::Individual, SubscriberKind::Organization,
                       SubscriberKind::Device, SubscriberKind::Unknown}) {
    expectLabelled(v);
  }
  for (const auto v :
       {CertificateStatus::Valid, CertificateStatus::Expiring, CertificateStatus::Expired,
        CertificateStatus::NotYetValid, CertificateStatus::Unparseable}) {
    expectLabelled(v);
  }
  for (const auto v : {PinState::Ok, PinState::CountLow, PinState::FinalTry, PinState::Locked,
                       PinState::Unknown}) {
    expectLabelled(v);
  }
  for (const auto v : {Severity::Info, Severity::Warning, Severity::Critical}) expectLabelled(v);
  for (const auto v :
       {AlertState::Open, AlertState::Acknowledged, AlertState::Snoozed, AlertState::Resolved}) {
    expectLabelled(v);
  }
  for (const auto v :
       {RequestKind::NewCertificate, RequestKind::Renewal, RequestKind::ChangeOfInformation,
        RequestKind::Revocation, RequestKind::DeviceRecovery}) {
    expectLabelled(v);
  }
  for (const auto v :
       {RequestState::Draft, RequestState::Queued, RequestState::Submitted, RequestState::Received,
        RequestState::InProgress, RequestState::ForwardedToProvider, RequestState::Completed,
        RequestState::Rejected, RequestState::Cancelled}) {
    expectLabelled(v);
  }
  for (const auto v : {HandledBy::Province, HandledBy::Provider}) expectLabelled(v);
  for (const auto v :
       {ChangeCase::IndividualAgency, ChangeCase::IndividualEmail, ChangeCase::OrganizationName,
        ChangeCase::OrganizationAddress, ChangeCase::DeviceName, ChangeCase::DeviceUpgrade}) {
    expectLabelled(v);
  }
  for (const auto v : {RevocationReason::KeyCompromised, RevocationReason::DeviceLost,
                       RevocationReason::DeviceDamaged, RevocationReason::HolderLeft,
                       RevocationReason::UnitReorganized, RevocationReason::NoLongerNeeded}) {
    expectLabelled(v);
  }
  for (const auto v :
       {MergerAction::Keep, MergerAction::Change, MergerAction::Revoke, MergerAction::Review}) {
    expectLabelled(v);
  }
  for (const auto v :
       {MergerWhy::SurvivingName, MergerWhy::Chosen, MergerWhy::OtherUnit, MergerWhy::Personal,
        MergerWhy::PersonalSameUnit, MergerWhy::Unused, MergerWhy::Device}) {
    expectLabelled(v);
  }
  for (const auto v : {AgencyType::Department, AgencyType::Commune, AgencyType::Other}) {
    expectLabelled(v);
  }
  for (const auto v : {RevocationState::Good, RevocationState::Revoked, RevocationState::Unknown}) {
    expectLabelled(v);
  }
  for (const auto v : allCrlReasons()) expectLabelled(v);
  for (const auto v : {ChainStatus::Government, ChainStatus::Other, ChainStatus::Unknown}) {
    expectLabelled(v);
  }
}

TEST(LabelsTest, LabelsAreTheCatalogueTexts) {
  EXPECT_EQ(label(PinState::Locked, Language::Vietnamese), "Đã khóa PIN");
  EXPECT_EQ(label(PinState::Locked, Language::Vietnamese),
            message(Language::Vietnamese, "pin.locked"));
  EXPECT_EQ(label(RequestKind::Renewal, Language::English),
            message(Language::English, "request.kind.renewal"));
  EXPECT_EQ(label(MergerWhy::Device, Language::English),
            message(Language::English, "merger.why.device"));
}

// cksctl reads enum values as words from the local API's JSON: a word it knows is labelled, a
// word only a newer agent knows is shown as it came (never "[kind.…]", never a crash).
TEST(LabelsTest, AWordIsLabelledByItsEnumAndAnUnknownWordShownAsItCame) {
  EXPECT_EQ(labelOfName("locked", parsePinState, Language::Vietnamese),
            label(PinState::Locked, Language::Vietnamese));
  EXPECT_EQ(labelOfName("not_yet_valid", parseCertificateStatus, Language::English),
            label(CertificateStatus::NotYetValid, Language::English));
  EXPECT_EQ(labelOfName("device", parseSubscriberKind, Language::English),
            label(SubscriberKind::Device, Language::English));
  EXPECT_EQ(labelOfName("provider", parseHandledBy, Language::Vietnamese),
            label(HandledBy::Provider, Language::Vietnamese));
  EXPECT_EQ(labelOfName("quantum_resistant", parseSubscriberKind, Language::Vietnamese),
            "quantum_resistant");
  EXPECT_EQ(labelOfName("on_hold", parseRequestState, Language::English), "on_hold");
  EXPECT_EQ(labelOfName("", parseSeverity, Language::English), "");
}

TEST(LabelsTest, CertificateStatusWireNamesRoundTrip) {
  for (const auto status :
       {CertificateStatus::Valid, CertificateStatus::Expiring, CertificateStatus::Expired,
        CertificateStatus::NotYetValid, CertificateStatus::Unparseable}) {
    CertificateStatus parsed = CertificateStatus::Valid;
    ASSERT_TRUE(parseCertificateStatus(toString(status), parsed)) << toString(status);
    EXPECT_EQ(parsed, status);
  }
  CertificateStatus untouched = CertificateStatus::Expired;
  EXPECT_FALSE(parseCertificateStatus("revoked", untouched));
  EXPECT_EQ(untouched, CertificateStatus::Expired);
}

}  // namespace
}  // namespace cks
