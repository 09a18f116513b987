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
              ${PROJECT_SOURCE_DIR}/docs/operations.md
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
# The libraries come from the built binary (dpkg-shlibdeps), so each distribution's package
# names its own versions (libpqxx-6.4 on Debian 12, libpqxx-7.10 on Debian 13, ...).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd (>= 252)")
# One package per distribution: the release names it (1~deb12, 1~deb13, 1~ubuntu24.04).
set(taosync_os_id "")
set(taosync_os_version "")
if(EXISTS /etc/os-release)
  file(STRINGS /etc/os-release taosync_os_lines REGEX "^(ID|VERSION_ID)=")
  foreach(line IN LISTS taosync_os_lines)
    string(REGEX REPLACE "^[A-Z_]+=\"?([^\"]*)\"?$" "\\1" value "${line}")
    if(line MATCHES "^ID=")
      set(taosync_os_id "${value}")
    else()
      set(taosync_os_version "${value}")
    endif()
  endforeach()
endif()
if(taosync_os_id STREQUAL "debian")
  set(CPACK_DEBIAN_PACKAGE_RELEASE "1~deb${taosync_os_version}")
elseif(taosync_os_id)
  set(CPACK_DEBIAN_PACKAGE_RELEASE "1~${taosync_os_id}${taosync_os_version}")
else()
  set(CPACK_DEBIAN_PACKAGE_RELEASE "1")
endif()
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "postgresql")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${TAOSYNC_DEPLOY_DIR}/debian/conffiles
    ${TAOSYNC_DEPLOY_DIR}/debian/postinst
    ${TAOSYNC_DEPLOY_DIR}/debian/prerm
    ${TAOSYNC_DEPLOY_DIR}/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)
include(CPack)
