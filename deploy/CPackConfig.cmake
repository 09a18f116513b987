# The Debian package of taosyncd (included by cmake/Packaging.cmake).
# Build it with deploy/build-deb.sh, or `cpack -G DEB` in a configured and built build dir.
#
# Contents: /usr/bin/taosyncd, /lib/systemd/system/taosyncd.service,
# /etc/taosync/taosync.yaml (mode 0640, a conffile), /usr/lib/sysusers.d/taosync.conf,
# docs and the Grafana dashboard under /usr/share.

set(TAOSYNC_DEPLOY_DIR ${CMAKE_CURRENT_LIST_DIR})
# `install`/cpack must not rebuild every target (tests, benchmarks) first: the package needs
# only taosyncd, which deploy/build-deb.sh builds explicitly.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

install(FILES ${PROJECT_SOURCE_DIR}/systemd/taosyncd.service
        DESTINATION /lib/systemd/system
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
        COMPONENT taosyncd)
install(FILES ${PROJECT_SOURCE_DIR}/config/taosync.example.yaml
        DESTINATION /etc/taosync RENAME taosync.yaml
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ
        COMPONENT taosyncd)
install(FILES ${TAOSYNC_DEPLOY_DIR}/sysusers.d/taosync.conf
        DESTINATION /usr/lib/sysusers.d
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
        COMPONENT taosyncd)
install(FILES ${PROJECT_SOURCE_DIR}/config/taosync.example.yaml ${PROJECT_SOURCE_DIR}/README.md
        DESTINATION share/doc/taosync
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
        COMPONENT taosyncd)
install(FILES ${TAOSYNC_DEPLOY_DIR}/grafana-dashboard.json
        DESTINATION share/taosync
        PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ
        COMPONENT taosyncd)

# Only the taosyncd component goes into the package (not test binaries such as taosync-sim).
set(CPACK_INSTALL_CMAKE_PROJECTS "${CMAKE_BINARY_DIR};${PROJECT_NAME};taosyncd;/")
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "taosync")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "taosync")
set(CPACK_PACKAGE_CONTACT "taosync maintainers <root@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Keeps a PostgreSQL copy of a Taobao Taiwan shop's orders")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.invalid/taosync")
# Debian 12 (bookworm) runtime libraries, checked with `dpkg -S` against the linked .so files.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libc6 (>= 2.36), libstdc++6 (>= 12), libgcc-s1, libpqxx-6.4, libpq5, libspdlog1.10, libfmt9, libyaml-cpp0.7, libboost-json1.81.0, libssl3, zlib1g, libsystemd0, systemd (>= 252)")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "postgresql")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${TAOSYNC_DEPLOY_DIR}/debian/conffiles
    ${TAOSYNC_DEPLOY_DIR}/debian/postinst
    ${TAOSYNC_DEPLOY_DIR}/debian/prerm
    ${TAOSYNC_DEPLOY_DIR}/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
