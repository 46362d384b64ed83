// The rules a request must meet before it is queued, each refusal in both languages; the value
// checks (ID number, e-mail, phone); routing under the province's delegation before and after
// it lapses (seed 000); working days per kind.
#include "core/request_rules.h"

#include <gtest/gtest.h>

#include <tuple>
#include <utility>

#include "core/time_format.h"

namespace cks {
namespace {

using namespace std::chrono_literals;
constexpr auto kDay = std::chrono::hours(24);
// 09:00 in Vietnam on Sunday 22 November 2026.
const TimePoint kNow = std::chrono::sys_days{2026y / std::chrono::November / 22} + 2h;
const std::string kFingerprint = "3f2a9c0d11223344556677889900aabbccddeeff00112233445566778899aabb";

Certificate certificate(TimePoint not_after, SubscriberKind kind = SubscriberKind::Individual) {
  Certificate c;
  c.fingerprint_sha256 = kFingerprint;
  c.common_name = "Nguyễn Thị Ánh Tuyết";
  c.not_before = not_after - 3 * 365 * kDay;
  c.not_after = not_after;
  c.kind = kind;
  return c;
}

Request onCertificate(RequestKind kind) {
  Request r;
  r.id = "r1";
  r.kind = kind;
  r.fingerprint_sha256 = kFingerprint;
  return r;
}

std::vector<Refusal> validate(const Request& request, const RequestFacts& facts,
                              const RequestPolicy& policy = {}) {
  return validateRequest(request, facts, policy, kNow);
}

std::vector<std::string> keys(const std::vector<Refusal>& refusals) {
  std::vector<std::string> out;
  for (const Refusal& r : refusals) out.push_back(r.key);
  return out;
}

std::string only(const std::vector<Refusal>& refusals, Language language) {
  if (refusals.size() != 1) return "expected one refusal, got " + std::to_string(refusals.size());
  return refusals[0].text(language);
}

Request individual() {
  Request r;
  r.id = "n1";
  r.kind = RequestKind::NewCertificate;
  r.subscriber = SubscriberKind::Individual;
  r.fields = {{"full_name", "Nguyễn Thị Ánh Tuyết"},
              {"id_number", "051190001234"},
              {"position", "Chuyên viên"},
              {"email", "tuyetnta@quangngai.gov.vn"},
              {"phone", "0905 181 088"}};
  return r;
}

// ---- renewal ----

TEST(RequestRulesTest, ARenewalWithTheWindowOpenIsAccepted) {
  EXPECT_TRUE(
      validate(onCertificate(RequestKind::Renewal), {.certificate = certificate(kNow + 61 * kDay)})
          .empty());
  EXPECT_TRUE(
      validate(onCertificate(RequestKind::Renewal), {.certificate = certificate(kNow + 60 * kDay)})
          .empty());
}

TEST(RequestRulesTest, ARenewalWithFewerDaysLeftThanTheWindowIsRefused) {
  // Days left are calendar days in Vietnam: kNow is 09:00 there, so an expiry 59 days and 14
  // hours later (23:00) is on the 59th day; 15 hours later it is on the 60th, still in time.
  EXPECT_TRUE(validate(onCertificate(RequestKind::Renewal),
                       {.certificate = certificate(kNow + 59 * kDay + 15h)})
                  .empty());
  const auto refusals = validate(onCertificate(RequestKind::Renewal),
                                 {.certificate = certificate(kNow + 59 * kDay + 14h)});
  EXPECT_EQ(keys(refusals), std::vector<std::string>{"request.renewal_too_late"});
  EXPECT_EQ(only(refusals, Language::Vietnamese),
            "Chứng thư số Nguyễn Thị Ánh Tuyết (3f2a9c0d11223344…) chỉ còn 59 ngày hiệu lực — "
            "phải đề nghị gia hạn khi còn ít nhất 60 ngày; cần đề nghị cấp mới");
  EXPECT_EQ(only(refusals, Language::English),
            "Certificate Nguyễn Thị Ánh Tuyết (3f2a9c0d11223344…) has only 59 days left — a "
            "renewal must be filed at least 60 days before expiry; file a request for a new one");
}

TEST(RequestRulesTest, TheProvinceConfiguresTheRenewalWindowAndCount) {
  const RequestPolicy lenient{.renewal_min_days_left = 30, .max_renewals = 2};
  EXPECT_TRUE(validate(onCertificate(RequestKind::Renewal),
                       {.certificate = certificate(kNow + 40 * kDay), .renewals_done = 1}, lenient)
                  .empty());
  EXPECT_EQ(
      keys(validate(onCertificate(RequestKind::Renewal),
                    {.certificate = certificate(kNow + 29 * kDay), .renewals_done = 2}, lenient)),
      (std::vector<std::string>{"request.renewal_too_late", "request.renewal_limit"}));
}

TEST(RequestRulesTest, ACertificateRenewedOnceIsNotRenewedAgainByDefault) {
  const auto refusals =
      validate(onCertificate(RequestKind::Renewal),
               {.certificate = certificate(kNow + 200 * kDay), .renewals_done = 1});
  EXPECT_EQ(only(refusals, Language::Vietnamese),
            "Chứng thư số Nguyễn Thị Ánh Tuyết (3f2a9c0d11223344…) đã được gia hạn 1 lần, tối đa 1 "
            "lần — cần đề nghị cấp mới");
  EXPECT_EQ(only(refusals, Language::English),
            "Certificate Nguyễn Thị Ánh Tuyết (3f2a9c0d11223344…) has been renewed 1 time(s), at "
            "most 1 allowed — file a request for a new one");
}

TEST(RequestRulesTest, AnExpiredCertificateIsNotRenewed) {
  const auto refusals =
      validate(onCertificate(RequestKind::Renewal), {.certificate = certificate(kNow - 1h)});
  EXPECT_EQ(only(refusals, Language::Vietnamese),
            "Chứng thư số Nguyễn Thị Ánh Tuyết (3f2a9c0d11223344…) đã hết hạn từ ngày 22/11/2026 — "
            "không gia hạn hay thay đổi thông tin được nữa, cần đề nghị cấp mới");
  EXPECT_EQ(only(refusals, Language::English),
            "Certificate Nguyễn Thị Ánh Tuyết (3f2a9c0d11223344…) expired on 22/11/2026 — it can "
            "no longer be renewed or changed; file a request for a new one");
}

TEST(RequestRulesTest, ACertificateNotYetValidOrUnreadableIsNotRenewed) {
  Certificate future = certificate(kNow + 1000 * kDay);
  future.not_before = kNow + 2 * kDay;
  const auto not_yet = validate(onCertificate(RequestKind::Renewal), {.certificate = future});
  EXPECT_EQ(only(not_yet, Language::Vietnamese),
            "Chứng thư số Nguyễn Thị Ánh Tuyết (3f2a9c0d11223344…) chưa có hiệu lực (có hiệu lực "
            "từ ngày 24/11/2026)");
  EXPECT_EQ(only(not_yet, Language::English),
            "Certificate Nguyễn Thị Ánh Tuyết (3f2a9c0d11223344…) is not valid yet (valid from "
            "24/11/2026)");

  Certificate broken;
  broken.fingerprint_sha256 = kFingerprint;
  broken.parse_error = "bad DER";
  const auto unreadable = validate(onCertificate(RequestKind::Renewal), {.certificate = broken});
  EXPECT_EQ(only(unreadable, Language::Vietnamese),
            "Chứng thư số " + kFingerprint + " không đọc được (bad DER) — hãy báo Sở KH&CN");
  EXPECT_EQ(only(unreadable, Language::English),
            "Certificate " + kFingerprint + " cannot be read (bad DER) — tell the province");
}

TEST(RequestRulesTest, ARenewalNamesAKnownCertificate) {
  Request no_cert = onCertificate(RequestKind::Renewal);
  no_cert.fingerprint_sha256.clear();
  const auto missing = validate(no_cert, {});
  EXPECT_EQ(only(missing, Language::Vietnamese),
            "Chưa nêu chứng thư số của đề nghị (--cert DẤU_VÂN_TAY)");
  EXPECT_EQ(only(missing, Language::English),
            "No certificate given for the request (--cert FINGERPRINT)");
  const auto unknown = validate(onCertificate(RequestKind::Renewal), {});
  EXPECT_EQ(
      only(unknown, Language::Vietnamese),
      "Không có chứng thư số " + kFingerprint + " trong danh mục của cơ quan (xem: cksctl certs)");
  EXPECT_EQ(only(unknown, Language::English), "There is no certificate " + kFingerprint +
                                                  " in the agency's inventory (see: cksctl certs)");
}

// ---- change of information ----

TEST(RequestRulesTest, AChangeNamesItsArticle15Case) {
  const auto refusals = validate(onCertificate(RequestKind::ChangeOfInformation),
                                 {.certificate = certificate(kNow + 300 * kDay)});
  const std::string cases =
      "individual_agency, individual_email, organization_name, organization_address, "
      "device_name, device_upgrade";
  EXPECT_EQ(only(refusals, Language::Vietnamese),
            "Đề nghị thay đổi thông tin phải nêu trường hợp thay đổi theo Điều 15 Nghị định "
            "68/2024/NĐ-CP (--case): " +
                cases);
  EXPECT_EQ(only(refusals, Language::English),
            "A change of information must name its case under Art. 15 of Decree 68/2024/NĐ-CP "
            "(--case): " +
                cases);
}

TEST(RequestRulesTest, EachChangeCaseRequiresItsNewValues) {
  const std::vector<std::tuple<ChangeCase, SubscriberKind, std::string, std::string>> cases{
      {ChangeCase::IndividualAgency, SubscriberKind::Individual, "agency", "UBND phường Cẩm Thành"},
      {ChangeCase::IndividualEmail, SubscriberKind::Individual, "email", "a@quangngai.gov.vn"},
      {ChangeCase::OrganizationName, SubscriberKind::Organization, "name", "UBND PHƯỜNG CẨM THÀNH"},
      {ChangeCase::OrganizationAddress, SubscriberKind::Organization, "address",
       "52 Hùng Vương, phường Cẩm Thành"},
      {ChangeCase::DeviceName, SubscriberKind::Device, "name", "cong-dich-vu.quangngai.gov.vn"},
      {ChangeCase::DeviceUpgrade, SubscriberKind::Device, "description", "Phiên bản 3.0"},
  };
  for (const auto& [change_case, kind, field, value] : cases) {
    Request r = onCertificate(RequestKind::ChangeOfInformation);
    r.change_case = change_case;
    const RequestFacts facts{.certificate = certificate(kNow + 300 * kDay, kind)};
    EXPECT_EQ(requiredFields(r), std::vector<std::string_view>{field});
    const auto missing = validate(r, facts);
    ASSERT_EQ(keys(missing), std::vector<std::string>{"request.field_missing"})
        << toString(change_case);
    EXPECT_NE(only(missing, Language::Vietnamese).find("(" + field + ") — thêm --set " + field),
              std::string::npos)
        << only(missing, Language::Vietnamese);
    r.fields[field] = value;
    EXPECT_TRUE(validate(r, facts).empty()) << toString(change_case);
  }
}

TEST(RequestRulesTest, AMissingNewValueIsNamedInBothLanguages) {
  Request r = onCertificate(RequestKind::ChangeOfInformation);
  r.change_case = ChangeCase::IndividualAgency;
  r.fields["agency"] = "   ";
  const auto refusals = validate(r, {.certificate = certificate(kNow + 300 * kDay)});
  EXPECT_EQ(only(refusals, Language::Vietnamese),
            "Thiếu thông tin «Cơ quan, tổ chức công tác» (agency) — thêm --set agency=…");
  EXPECT_EQ(only(refusals, Language::English),
            "Missing \"Agency (place of work)\" (agency) — add --set agency=…");
}

TEST(RequestRulesTest, AChangeCaseMustFitTheCertificateSSubscriberKind) {
  Request r = onCertificate(RequestKind::ChangeOfInformation);
  r.change_case = ChangeCase::OrganizationName;
  r.fields["name"] = "UBND PHƯỜNG CẨM THÀNH";
  const auto refusals = validate(r, {.certificate = certificate(kNow + 300 * kDay)});
  EXPECT_EQ(only(refusals, Language::Vietnamese),
            "Trường hợp «Cơ quan, tổ chức đổi tên» dành cho thuê bao loại «Tổ chức», nhưng chứng "
            "thư số Nguyễn Thị Ánh Tuyết (3f2a9c0d11223344…) thuộc loại «Cá nhân»");
  EXPECT_EQ(
      only(refusals, Language::English),
      "Case \"The organisation was renamed\" is for subscribers of kind \"Organisation\", but "
      "certificate Nguyễn Thị Ánh Tuyết (3f2a9c0d11223344…) is of kind \"Individual\"");
  // A certificate whose kind could not be told is given the benefit of the doubt.
  EXPECT_TRUE(validate(r, {.certificate = certificate(kNow + 300 * kDay, SubscriberKind::Unknown)})
                  .empty());
}

TEST(RequestRulesTest, ANewEmailMustBeOfficialAndWellFormed) {
  Request r = onCertificate(RequestKind::ChangeOfInformation);
  r.change_case = ChangeCase::IndividualEmail;
  const RequestFacts facts{.certificate = certificate(kNow + 300 * kDay)};
  r.fields["email"] = "tuyet@@quangngai.gov.vn";
  EXPECT_EQ(only(validate(r, facts), Language::Vietnamese),
            "Địa chỉ thư điện tử công vụ (email) không phải địa chỉ thư điện tử hợp lệ: "
            "«tuyet@@quangngai.gov.vn»");
  EXPECT_EQ(only(validate(r, facts), Language::English),
            "Official e-mail address (email) is not a valid e-mail address: "
            "\"tuyet@@quangngai.gov.vn\"");
  r.fields["email"] = "tuyet@gmail.com";
  EXPECT_EQ(only(validate(r, facts), Language::Vietnamese),
            "Địa chỉ thư điện tử công vụ (email) phải là thư điện tử công vụ thuộc tên miền "
            "gov.vn, edu.vn: «tuyet@gmail.com»");
  EXPECT_EQ(only(validate(r, facts), Language::English),
            "Official e-mail address (email) must be an official address under gov.vn, edu.vn: "
            "\"tuyet@gmail.com\"");
  r.fields["email"] = "tuyet@notgov.vn";
  EXPECT_EQ(keys(validate(r, facts)), std::vector<std::string>{"request.field_not_official_email"});
  r.fields["email"] = "Tuyet.NTA@SKHCN.QuangNgai.GOV.VN";
  EXPECT_TRUE(validate(r, facts).empty());
  // A province whose staff use other domains empties the list.
  r.fields["email"] = "tuyet@gmail.com";
  EXPECT_TRUE(validate(r, facts, {.official_email_domains = {}}).empty());
}

TEST(RequestRulesTest, AFieldTheRequestDoesNotUseIsRefusedNotDropped) {
  Request r = onCertificate(RequestKind::ChangeOfInformation);
  r.change_case = ChangeCase::IndividualEmail;
  r.fields = {{"email", "a@quangngai.gov.vn"}, {"emial", "b@quangngai.gov.vn"}};
  const auto refusals = validate(r, {.certificate = certificate(kNow + 300 * kDay)});
  EXPECT_EQ(only(refusals, Language::Vietnamese),
            "Đề nghị «Thay đổi nội dung thông tin chứng thư số» không có trường «emial»; các "
            "trường dùng được: email, note");
  EXPECT_EQ(only(refusals, Language::English),
            "A \"Change of certificate information\" request has no field \"emial\"; its fields "
            "are: email, note");
}

// ---- revocation ----

TEST(RequestRulesTest, ARevocationGivesItsReason) {
  Request r = onCertificate(RequestKind::Revocation);
  const RequestFacts facts{.certificate = certificate(kNow + 300 * kDay)};
  const std::string reasons =
      "key_compromised, device_lost, device_damaged, holder_left, unit_reorganized, "
      "no_longer_needed";
  EXPECT_EQ(only(validate(r, facts), Language::Vietnamese),
            "Đề nghị thu hồi phải nêu lý do (--reason): " + reasons);
  EXPECT_EQ(only(validate(r, facts), Language::English),
            "A revocation must give its reason (--reason): " + reasons);
  r.revocation_reason = RevocationReason::UnitReorganized;
  EXPECT_TRUE(validate(r, facts).empty());
  // An expired certificate may still be revoked (its token goes back all the same).
  EXPECT_TRUE(validate(r, {.certificate = certificate(kNow - 10 * kDay)}).empty());
  EXPECT_EQ(keys(validate(r, {})), std::vector<std::string>{"request.certificate_unknown"});
}

// ---- token recovery ----

TEST(RequestRulesTest, OnlyALockedOrUnusableTokenIsRecovered) {
  Request r;
  r.kind = RequestKind::DeviceRecovery;
  r.token_serial = "0A1B2C3D";
  Token token{"0A1B2C3D", "Feitian", "Văn thư", "ePass2003", PinState::Locked};
  EXPECT_TRUE(validate(r, {.token = token}).empty());

  token.pin_state = PinState::CountLow;
  const auto refusals = validate(r, {.token = token});
  EXPECT_EQ(only(refusals, Language::Vietnamese),
            "Token 0A1B2C3D không bị khóa (trạng thái PIN: Đã nhập sai PIN) — chỉ đề nghị khôi "
            "phục token bị khóa PIN hoặc không sử dụng được");
  EXPECT_EQ(only(refusals, Language::English),
            "Token 0A1B2C3D is not locked (PIN state: Wrong PIN entered) — recovery is only for a "
            "PIN-locked or unusable token");
  for (const PinState state : {PinState::Ok, PinState::FinalTry, PinState::Unknown}) {
    token.pin_state = state;
    EXPECT_EQ(keys(validate(r, {.token = token})),
              std::vector<std::string>{"request.token_not_locked"});
    EXPECT_TRUE(validate(r, {.token = token, .token_unusable = true}).empty());
  }
}

TEST(RequestRulesTest, ARecoveryNamesAKnownToken) {
  Request r;
  r.kind = RequestKind::DeviceRecovery;
  EXPECT_EQ(only(validate(r, {}), Language::Vietnamese),
            "Chưa nêu số serial của token cần khôi phục (--token SỐ_SERIAL)");
  EXPECT_EQ(only(validate(r, {}), Language::English), "No token serial given (--token SERIAL)");
  r.token_serial = "FFFF";
  EXPECT_EQ(only(validate(r, {}), Language::Vietnamese),
            "Không có token FFFF trong danh mục của cơ quan (xem: cksctl tokens)");
  EXPECT_EQ(only(validate(r, {}), Language::English),
            "There is no token FFFF in the agency's inventory (see: cksctl tokens)");
}

// ---- new certificates ----

TEST(RequestRulesTest, ANewCertificateForAPersonWithItsDataIsAccepted) {
  EXPECT_TRUE(validate(individual(), {}).empty());
  Request r = individual();
  r.fields["agency"] = "UBND xã Bình Chương";
  r.fields["phone"] = "+84 905-181-088";
  EXPECT_TRUE(validate(r, {}).empty());
}

TEST(RequestRulesTest, ANewCertificateForAPersonListsEveryMissingField) {
  Request r = individual();
  r.fields.clear();
  EXPECT_EQ(keys(validate(r, {})), std::vector<std::string>(5, "request.field_missing"));
  std::vector<std::string> fields;
  for (const Refusal& refusal : validate(r, {})) fields.push_back(refusal.args[1].value);
  EXPECT_EQ(fields,
            (std::vector<std::string>{"full_name", "id_number", "position", "email", "phone"}));
  r.fields = individual().fields;
  r.fields.erase("full_name");
  EXPECT_EQ(only(validate(r, {}), Language::Vietnamese),
            "Thiếu thông tin «Họ và tên» (full_name) — thêm --set full_name=…");
  EXPECT_EQ(only(validate(r, {}), Language::English),
            "Missing \"Full name\" (full_name) — add --set full_name=…");
}

TEST(RequestRulesTest, APersonalIdNumberIsTwelveDigits) {
  Request r = individual();
  r.fields["id_number"] = "05119000123";
  EXPECT_EQ(only(validate(r, {}), Language::Vietnamese),
            "Số định danh cá nhân (CCCD) (id_number) phải gồm đúng 12 chữ số: «05119000123»");
  EXPECT_EQ(only(validate(r, {}), Language::English),
            "Personal ID number (citizen ID card) (id_number) must be exactly 12 digits: "
            "\"05119000123\"");
  for (const char* bad :
       {"0511900012345", "05119000123A", "051 190 001 234", "０５１１９０００１２３４"}) {
    EXPECT_FALSE(isPersonalIdNumber(bad)) << bad;
  }
  EXPECT_TRUE(isPersonalIdNumber("001090000001"));
}

TEST(RequestRulesTest, APhoneNumberIsVietnamese) {
  Request r = individual();
  r.fields["phone"] = "12345";
  EXPECT_EQ(only(validate(r, {}), Language::Vietnamese),
            "Số điện thoại (phone) không đúng dạng số điện thoại Việt Nam (di động 10 số, cố định "
            "11 số bắt đầu bằng 02): «12345»");
  EXPECT_EQ(
      only(validate(r, {}), Language::English),
      "Phone number (phone) is not a Vietnamese phone number (mobile: 10 digits, landline: 11 "
      "digits starting with 02): \"12345\"");
  for (const char* good : {"0905181088", "0947 240 391", "+84905181088", "024.3773.8668",
                           "(0255) 3822 123", "0367-123-456"}) {
    EXPECT_TRUE(isVietnamesePhone(good)) << good;
  }
  for (const char* bad : {"", "905181088", "0105181088", "09051810889", "+1 905 181 0880",
                          "0905181088 ext 2", "84905181088+", "02437738668 1", "+84 24 3773 86"}) {
    EXPECT_FALSE(isVietnamesePhone(bad)) << bad;
  }
}

TEST(RequestRulesTest, AnEmailAddressIsWellFormed) {
  for (const char* good : {"a@b.vn", "nguyen.van-a+tag@skhcn.quangngai.gov.vn", "x_1@h21.gov.vn"}) {
    EXPECT_TRUE(isWellFormedEmail(good)) << good;
  }
  for (const char* bad : {"", "a", "@gov.vn", "a@", "a@gov", "a@@gov.vn", "a@b@gov.vn", ".a@gov.vn",
                          "a.@gov.vn", "a..b@gov.vn", "a@-x.gov.vn", "a@x..gov.vn", "a b@gov.vn",
                          "nguyễn@gov.vn", "a@gov.v1", "a@gov.vn."}) {
    EXPECT_FALSE(isWellFormedEmail(bad)) << bad;
  }
}

TEST(RequestRulesTest, AnOrganisationNeedsItsEstablishmentDecision) {
  Request r;
  r.kind = RequestKind::NewCertificate;
  r.subscriber = SubscriberKind::Organization;
  r.fields = {{"name", "UBND PHƯỜNG CẨM THÀNH"}, {"email", "camthanh@quangngai.gov.vn"}};
  EXPECT_EQ(only(validate(r, {}), Language::Vietnamese),
            "Thiếu thông tin «Quyết định thành lập» (establishment_decision) — thêm --set "
            "establishment_decision=…");
  EXPECT_EQ(only(validate(r, {}), Language::English),
            "Missing \"Establishment decision\" (establishment_decision) — add --set "
            "establishment_decision=…");
  r.fields["establishment_decision"] = "Quyết định số 123/QĐ-UBND ngày 01/7/2025";
  EXPECT_TRUE(validate(r, {}).empty());
  r.fields["agency_code"] = "h21.09";
  EXPECT_EQ(only(validate(r, {}), Language::English),
            "Agency's document exchange code (agency_code) is not a document exchange code (e.g. "
            "H21.09): \"h21.09\"");
  EXPECT_EQ(only(validate(r, {}), Language::Vietnamese),
            "Mã định danh điện tử của cơ quan (agency_code) không đúng dạng mã định danh (ví dụ "
            "H21.09): «h21.09»");
  r.fields["agency_code"] = "H21.09";
  EXPECT_TRUE(validate(r, {}).empty());
}

TEST(RequestRulesTest, ADeviceNeedsItsPurposeAndWhoAnswersForIt) {
  Request r;
  r.kind = RequestKind::NewCertificate;
  r.subscriber = SubscriberKind::Device;
  EXPECT_EQ(requiredFields(r),
            (std::vector<std::string_view>{"name", "purpose", "manager", "email"}));
  r.fields = {{"name", "motcua.quangngai.gov.vn"},
              {"purpose", "Ký số kết quả thủ tục hành chính"},
              {"manager", "Vy Tú Đình"},
              {"email", "dinhvt@quangngai.gov.vn"}};
  EXPECT_TRUE(validate(r, {}).empty());
  r.fields.erase("manager");
  EXPECT_EQ(keys(validate(r, {})), std::vector<std::string>{"request.field_missing"});
}

TEST(RequestRulesTest, ANewCertificateNamesTheSubscriberKind) {
  Request r;
  r.kind = RequestKind::NewCertificate;
  r.fields = {{"anything", "x"}};
  const auto refusals = validate(r, {});
  EXPECT_EQ(only(refusals, Language::Vietnamese),
            "Đề nghị cấp mới phải nêu loại thuê bao (--kind): individual (cá nhân, Mẫu 01), "
            "organization (cơ quan, tổ chức, Mẫu 02) hoặc device (thiết bị, dịch vụ, phần mềm, Mẫu "
            "03)");
  EXPECT_EQ(only(refusals, Language::English),
            "A new certificate request must name the subscriber kind (--kind): individual (Form "
            "01), organization (Form 02) or device (Form 03)");
}

TEST(RequestRulesTest, EveryRefusalReadsCompletelyInBothLanguages) {
  // A refusal built with too few arguments, or a key missing from the catalogue, would show a
  // placeholder or a bracketed key to the officer.
  std::vector<Refusal> all;
  auto add = [&](const std::vector<Refusal>& more) {
    all.insert(all.end(), more.begin(), more.end());
  };
  Request r = individual();
  r.fields = {{"id_number", "x"}, {"email", "x"}, {"phone", "x"}, {"bogus", "1"}};
  add(validate(r, {}));
  Request org;
  org.kind = RequestKind::NewCertificate;
  org.subscriber = SubscriberKind::Organization;
  org.fields = {{"email", "a@gmail.com"}, {"agency_code", "?"}};
  add(validate(org, {}));
  add(validate(onCertificate(RequestKind::Renewal),
               {.certificate = certificate(kNow + 10 * kDay), .renewals_done = 3}));
  Request change = onCertificate(RequestKind::ChangeOfInformation);
  add(validate(change, {}));
  change.change_case = ChangeCase::DeviceUpgrade;
  add(validate(change, {.certificate = certificate(kNow + 100 * kDay)}));
  EXPECT_GE(all.size(), 12u);
  for (const Refusal& refusal : all) {
    for (const Language language : {Language::Vietnamese, Language::English}) {
      const std::string text = refusal.text(language);
      EXPECT_EQ(text.find("[request."), std::string::npos) << text;
      EXPECT_EQ(text.find("[kind."), std::string::npos) << text;
      EXPECT_EQ(text.find('{'), std::string::npos) << text;
    }
  }
}

// ---- routing ----

// Seed 000: the province delegates renewal, change and token recovery to its Sở KH&CN until
// 31/12/2025.
const std::vector<Delegation> kSeed000{
    {.kinds = {RequestKind::Renewal, RequestKind::ChangeOfInformation, RequestKind::DeviceRecovery},
     .from = std::chrono::sys_days{2025y / std::chrono::July / 1},
     .until = std::chrono::sys_days{2025y / std::chrono::December / 31},
     .decision = "Quyết định ủy quyền"}};

TimePoint vietnamTime(std::chrono::sys_days day, std::chrono::minutes local) {
  return day + local - 7h;
}

TEST(RequestRulesTest, DelegatedKindsGoToTheProvinceWhileTheDelegationIsInForce) {
  const TimePoint last_evening = vietnamTime(2025y / std::chrono::December / 31, 23h + 30min);
  for (const RequestKind kind :
       {RequestKind::Renewal, RequestKind::ChangeOfInformation, RequestKind::DeviceRecovery}) {
    EXPECT_EQ(route(kind, true, kSeed000, last_evening), HandledBy::Province) << toString(kind);
  }
  // New certificates and revocations are the Cục's, delegation or not.
  EXPECT_EQ(route(RequestKind::NewCertificate, true, kSeed000, last_evening), HandledBy::Provider);
  EXPECT_EQ(route(RequestKind::Revocation, true, kSeed000, last_evening), HandledBy::Provider);
  // Recovery of a SIM PKI or other device is the Cục's (seed 003 Art. 15(3)).
  EXPECT_EQ(route(RequestKind::DeviceRecovery, false, kSeed000, last_evening), HandledBy::Provider);
}

TEST(RequestRulesTest, AfterTheDelegationLapsesRequestsGoToTheProvider) {
  // 00:30 on 1 January 2026 in Vietnam is still 31 December in UTC.
  const TimePoint just_after = vietnamTime(2026y / std::chrono::January / 1, 30min);
  EXPECT_EQ(formatIsoUtc(just_after), "2025-12-31T17:30:00Z");
  EXPECT_EQ(route(RequestKind::Renewal, true, kSeed000, just_after), HandledBy::Provider);
  EXPECT_EQ(route(RequestKind::DeviceRecovery, true, kSeed000, just_after), HandledBy::Provider);
  const TimePoint before = vietnamTime(2025y / std::chrono::June / 30, 16h);
  EXPECT_EQ(route(RequestKind::Renewal, true, kSeed000, before), HandledBy::Provider);
  const TimePoint first_morning = vietnamTime(2025y / std::chrono::July / 1, 0min);
  EXPECT_EQ(route(RequestKind::Renewal, true, kSeed000, first_morning), HandledBy::Province);
  EXPECT_EQ(route(RequestKind::Renewal, true, {}, first_morning), HandledBy::Provider);

  // The five-year delegation that follows takes over.
  std::vector<Delegation> renewed = kSeed000;
  renewed.push_back(
      *parseDelegation("renewal,change_of_information,device_recovery "
                       "2026-01-01..2030-12-31 Quyết định số 99/QĐ-UBND"));
  EXPECT_EQ(route(RequestKind::Renewal, true, renewed, just_after), HandledBy::Province);
}

TEST(RequestRulesTest, DelegationsAreReadFromOneLine) {
  const auto open = parseDelegation("  device_recovery 2026-01-01..  ");
  ASSERT_TRUE(open) << open.error().message;
  EXPECT_EQ(open->kinds, std::vector<RequestKind>{RequestKind::DeviceRecovery});
  EXPECT_EQ(open->until, std::nullopt);
  EXPECT_TRUE(open->decision.empty());
  EXPECT_EQ(route(RequestKind::DeviceRecovery, true, {*open}, kNow + 3650 * kDay),
            HandledBy::Province);

  const auto full = parseDelegation("renewal, change_of_information 2025-07-01..2025-12-31 QĐ 512");
  EXPECT_FALSE(full);  // a space after the comma splits the kinds from the dates
  const auto with_decision =
      parseDelegation("renewal,change_of_information 2025-07-01..2025-12-31 Quyết định số 512");
  ASSERT_TRUE(with_decision);
  EXPECT_EQ(with_decision->decision, "Quyết định số 512");
  EXPECT_EQ(formatDate(*with_decision->until), "2025-12-31");

  EXPECT_EQ(parseDelegation("renew 2025-07-01..").error().message,
            "delegation: \"renew\": not a request kind (one of new_certificate, renewal, "
            "change_of_information, revocation, device_recovery)");
  EXPECT_EQ(parseDelegation("renewal 2025-07-01").error().message,
            "delegation: \"2025-07-01\": expected FROM..UNTIL (YYYY-MM-DD..YYYY-MM-DD, or FROM.. "
            "for no end)");
  EXPECT_EQ(parseDelegation("renewal 2025-13-01..").error().message,
            "delegation: \"2025-13-01\": not a date (expected YYYY-MM-DD)");
  EXPECT_EQ(parseDelegation("renewal 2025-07-01..2025-02-30").error().message,
            "delegation: \"2025-02-30\": not a date (expected YYYY-MM-DD)");
  EXPECT_EQ(parseDelegation("renewal 2025-07-01..2025-01-01").error().message,
            "delegation: \"2025-07-01..2025-01-01\": ends before it starts");
  EXPECT_FALSE(parseDelegation(""));
}

TEST(RequestRulesTest, UsbTokenRecoveryHasOneWorkingDayAndTheRestThree) {
  const RequestPolicy policy;
  EXPECT_EQ(processingWorkingDays(RequestKind::DeviceRecovery, true, policy), 1);
  EXPECT_EQ(processingWorkingDays(RequestKind::DeviceRecovery, false, policy), 3);
  for (const RequestKind kind : {RequestKind::NewCertificate, RequestKind::Renewal,
                                 RequestKind::ChangeOfInformation, RequestKind::Revocation}) {
    EXPECT_EQ(processingWorkingDays(kind, true, policy), 3) << toString(kind);
  }
  const RequestPolicy slower{.recovery_working_days = 2, .processing_working_days = 5};
  EXPECT_EQ(processingWorkingDays(RequestKind::DeviceRecovery, true, slower), 2);
  EXPECT_EQ(processingWorkingDays(RequestKind::Renewal, true, slower), 5);
}

}  // namespace
}  // namespace cks
