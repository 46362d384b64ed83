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

}  // namespace
}  // namespace cks
