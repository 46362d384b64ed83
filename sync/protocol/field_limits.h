// The most an agent may send in each field of its requests (docs/sync-protocol.md, "Limits"):
// far above what a real token, certificate, request or report holds, low enough that one agent
// cannot fill the hub's disk through one field (issue 15, finding 9). The hub checks them when
// it decodes a request, before anything is stored, and refuses the whole request with the field
// named; the table is the one place they are set.
#pragma once

#include <cstddef>
#include <string_view>

namespace cks::sync {

// The most bytes (UTF-8) of a string value held by a member named `key`, wherever it is in the
// request ("label" in a token, in a snapshot's tokens, …); free text not named in the table
// (remarks, notes, a request's fields) takes kMaxTextBytes.
[[nodiscard]] std::size_t maxFieldBytes(std::string_view key);

inline constexpr std::size_t kMaxTextBytes = 16 * 1024;
// A member's name (the keys of a request's fields, an alert's params).
inline constexpr std::size_t kMaxMemberNameBytes = 256;

}  // namespace cks::sync
