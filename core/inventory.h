// What an inventory knows of a token or a certificate beyond the object itself: where it is,
// whether it is plugged in, when it was first and last seen. Shared by the agent's store, the
// wire format (sync/protocol/inventory_json.h) and the hub's view of every agency.
#pragma once

#include <string>
#include <vector>

#include "core/certificate.h"
#include "core/clock.h"
#include "core/token.h"

namespace cks {

struct InventoryToken {
  Token token;
  std::string module;
  bool present = false;
  TimePoint first_seen{};
  TimePoint last_seen{};
  std::string last_host;
  int cert_count = 0;
};

struct InventoryCertificate {
  Certificate certificate;   // the parsed fields as stored (no DER re-parse on read)
  std::string token_serial;  // the token it was last seen on
  std::string token_label;
  // Every token that holds it (a certificate copied onto several tokens), by serial.
  std::vector<std::string> token_serials;
  bool present = false;  // on a token that was plugged in at the last scan
  TimePoint first_seen{};
  TimePoint last_seen{};
};

}  // namespace cks
