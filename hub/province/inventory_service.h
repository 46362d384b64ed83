// The province's view of its agencies' inventories: an agency's certificates and tokens, and
// the certificates about to expire, province-wide or of one agency. Typed in, typed out
// (province_context.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "hub/province/province_context.h"
#include "hub/store/hub_store.h"

namespace cks::hub {

// `expiring` looks at most this many days ahead: a hundred years covers every certificate.
inline constexpr int kMostExpiringDays = 36500;

// A certificate as an agency's PCs saw it, and the host of the PC that saw it (its agent id
// when the hub does not know the agent).
struct CertificateSighting {
  HubCertificate seen;
  std::string host;
};

struct AgencyCertificates {
  Agency agency;
  std::vector<CertificateSighting> certificates;
};

struct AgencyTokens {
  Agency agency;
  std::vector<HubToken> tokens;
};

// A certificate valid now and gone within the days asked, once per agency.
struct ExpiringCertificate {
  std::string agency_code;
  std::string agency_name;
  std::string host;
  InventoryCertificate certificate;
};

struct ExpiringCertificates {
  std::optional<Agency> agency;  // nullopt: province-wide
  int days = 0;
  std::vector<ExpiringCertificate> certificates;  // soonest first
};

class InventoryService {
 public:
  explicit InventoryService(ProvinceContext context) : context_(context) {}

  // The certificates of agency `agency_code` (AgencyService::known's errors).
  [[nodiscard]] Result<AgencyCertificates> certificates(const std::string& agency_code) const;
  // The tokens of agency `agency_code` (AgencyService::known's errors).
  [[nodiscard]] Result<AgencyTokens> tokens(const std::string& agency_code) const;
  // Certificates valid now with at most `days` days left (0 to kMostExpiringDays, else
  // InvalidArgument), of every agency or of one, soonest first. One line per certificate and
  // agency: two PCs of an agency may both have seen its token, and the one it is plugged into,
  // else the latest sighting, is the one shown.
  [[nodiscard]] Result<ExpiringCertificates> expiring(
      int days, const std::optional<std::string>& agency_code) const;

  // One page of the certificates `query` names (ProvinceViews::certificates; `query.now` is
  // set to the clock's), each with the host of the PC that saw it: the console's list.
  [[nodiscard]] Result<Page<CertificateSighting>> certificatePage(CertificateQuery query) const;
  // One page of the tokens `query` names (ProvinceViews::tokens).
  [[nodiscard]] Result<Page<HubToken>> tokenPage(const TokenQuery& query) const;

 private:
  ProvinceContext context_;
};

}  // namespace cks::hub
