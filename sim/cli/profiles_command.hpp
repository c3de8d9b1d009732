#pragma once
// `lvslab profiles`: the named director profiles (lvs/director_profiles.hpp), each with
// its per-packet cost by forwarding method, its cost per new connection, the packets/s its
// cores can forward, and the source and arithmetic behind the figures.

#include <iosfwd>

namespace lvs::cli {

struct ProfilesOptions {
  bool json = false;  ///< JSON on stdout instead of the table
};

/// Prints every profile to `out`.
void run_profiles(const ProfilesOptions& options, std::ostream& out);

}  // namespace lvs::cli
