# CPack .deb settings live in deploy/; see deploy/README.md.
if(EXISTS ${CMAKE_SOURCE_DIR}/deploy/CPackConfig.cmake)
  include(${CMAKE_SOURCE_DIR}/deploy/CPackConfig.cmake)
endif()
