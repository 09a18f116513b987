# CPack .deb settings live in deploy/CPackConfig.cmake.
if(EXISTS ${CMAKE_SOURCE_DIR}/deploy/CPackConfig.cmake)
  include(${CMAKE_SOURCE_DIR}/deploy/CPackConfig.cmake)
endif()
