# One place for warning flags, applied per target (no global flags).
function(taosync_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
endfunction()
