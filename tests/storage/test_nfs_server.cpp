#include "nfs_server_fixture.hpp"
