# Sourced by scripts that start local services: `spare_port` prints a TCP
# port on 127.0.0.1 that nothing listens on.
spare_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(( 20000 + RANDOM % 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  echo "no spare port found" >&2
  return 1
}
