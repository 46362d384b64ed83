// Single-use enrolment codes that the province gives an agency's IT officer
// (`cks-hub admin enroll-code`): 80 random bits written as four groups of four characters from
// an alphabet without look-alikes (no 0/O, 1/I). The hub keeps only their SHA-256.
#pragma once

#include <string>
#include <string_view>

namespace cks::hub {

// A fresh code such as "K7Q2-9XMD-4HTA-WC3N", from RAND_bytes.
[[nodiscard]] std::string newEnrollCode();

// The stored form of a code as typed: case, spaces and dashes do not matter.
[[nodiscard]] std::string enrollCodeHash(std::string_view code);

// A random RFC 4122 version 4 UUID in lowercase text (agent ids).
[[nodiscard]] std::string newUuid();

}  // namespace cks::hub
