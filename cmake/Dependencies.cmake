# The distributions' own packages (scripts/setup.sh installs them): Debian 12 (Boost 1.81,
# libpqxx 6.4), Debian 13 and Ubuntu 24.04 (Boost 1.83, libpqxx 7.x).
if(POLICY CMP0167)
  cmake_policy(SET CMP0167 NEW) # Boost's own BoostConfig.cmake, not CMake's FindBoost
endif()
find_package(Threads REQUIRED)
find_package(Boost 1.81 REQUIRED COMPONENTS json)
find_package(OpenSSL REQUIRED)
find_package(ZLIB REQUIRED)
find_package(spdlog REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(doctest REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(PQXX REQUIRED IMPORTED_TARGET libpqxx)
if(PQXX_VERSION VERSION_GREATER_EQUAL 7 AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC 13 and 14 at -O2 flag the std::variant inside libpqxx 7's pqxx::params as maybe
  # uninitialized (a false positive inside the library's and libstdc++'s headers, which no
  # pragma around our code reaches); only code that uses libpqxx goes without that warning.
  target_compile_options(PkgConfig::PQXX INTERFACE -Wno-maybe-uninitialized)
endif()
# libpq itself (libpq-fe.h is under /usr/include/postgresql, which libpqxx 7's .pc omits)
pkg_check_modules(PQ REQUIRED IMPORTED_TARGET libpq)
pkg_check_modules(SYSTEMD REQUIRED IMPORTED_TARGET libsystemd)
