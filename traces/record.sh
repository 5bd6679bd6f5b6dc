#!/usr/bin/env bash
# Re-records the demo captures: real curl and Node.js clients talk to real Node.js servers inside a
# network namespace whose loopback carries the demo cluster's addresses (scenarios/demo/cluster), and
# tcpdump (pcap) and dumpcap (pcapng) record the loopback. Needs root, iproute2, tcpdump, dumpcap
# (Debian: tshark), curl, openssl and node. Usage: sudo traces/record.sh
set -euo pipefail
cd "$(dirname "$0")"
NS=ambient-bench-trace
WORK=$(mktemp -d)
cleanup() { ip netns pids "$NS" 2>/dev/null | xargs -r kill 2>/dev/null || true; ip netns del "$NS" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
cleanup_ns() { ip netns del "$NS" 2>/dev/null || true; }
cleanup_ns
ip netns add "$NS"
run() { ip netns exec "$NS" "$@"; }
run ip link set lo up
# Pod IPs (status.podIP), Service cluster IPs, node IPs, and two addresses outside the cluster.
for ip in 10.244.1.11 10.244.1.12 10.244.2.11 10.244.2.12 10.244.3.11 10.244.3.12 10.244.4.11 10.244.4.12 \
          10.96.10.20 10.96.10.21 10.96.20.10 10.96.20.11 10.96.30.10 10.96.30.11 10.96.40.10 10.96.0.10 \
          172.20.0.11 203.0.113.9 198.51.100.7; do
  run ip addr add "$ip/32" dev lo
done
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=api.payments-gateway.example" \
  -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
run node server.mjs "$WORK/cert.pem" "$WORK/key.pem" > "$WORK/server.log" &
until grep -q listening "$WORK/server.log" 2>/dev/null; do sleep 0.1; done
run tcpdump -i lo -s 262144 -U -w "$WORK/demo.pcap" 'not port 9' 2>/dev/null &
run dumpcap -q -i lo -s 262144 -w "$WORK/demo.pcapng" 2>/dev/null &
sleep 1.5

c() { run curl -sS -o /dev/null --max-time 3 "$@" || true; }
PAY=http://10.96.10.20
# orders/checkout-service pays, then captures the payment on the same keep-alive connection.
c --interface 10.244.1.11 -X POST -H 'content-type: application/json' -d '{"amount":4200}' "$PAY/api/v1/payments" \
  --next -o /dev/null --interface 10.244.1.11 -X POST -d '' "$PAY/api/v1/payments/pay_8f2a/capture"
# ... and tries a refund, which only the refund service may do.
c --interface 10.244.1.11 -X POST -d '{"id":"ref_19"}' "$PAY/api/v1/refunds/ref_19"
c --interface 10.244.3.12 -X POST -d '{"id":"ref_19"}' "$PAY/api/v1/refunds/ref_19"
# frontend/admin-console reads, deletes, and reads an internal path.
c --interface 10.244.2.12 "$PAY/api/v1/payments/pay_8f2a" --next -o /dev/null --interface 10.244.2.12 -X DELETE "$PAY/api/v1/payments/pay_8f2a" \
  --next -o /dev/null --interface 10.244.2.12 "$PAY/internal/ledger"
# orders/order-service goes straight to the payment pod (as a capture after kube-proxy DNAT shows it).
c --interface 10.244.1.12 -H 'x-request-id: 7f1c' http://10.244.3.11:8080/api/v1/payments/pay_8f2a
# legacy/settlement-batch posts a payment; frontend/storefront places an order with a chunked body.
c --interface 10.244.4.11 -X POST -d '{"batch":12}' "$PAY/api/v1/payments"
c --interface 10.244.2.11 -X POST -H 'transfer-encoding: chunked' --data-binary '{"sku":"A-1","qty":2}' http://10.96.20.10/orders
# legacy/reporting speaks a binary protocol to order-service.
run node raw-client.mjs 10.244.4.12 10.96.20.10 80
# A client outside the cluster reaches the storefront; the storefront talks cleartext HTTP/2 (h2c).
c --interface 203.0.113.9 http://10.96.30.10/
c --interface 10.244.2.11 --http2-prior-knowledge http://10.96.30.11/admin/health
# admin-console calls an external API over TLS (SNI api.payments-gateway.example).
c --interface 10.244.2.12 -k --resolve api.payments-gateway.example:443:198.51.100.7 https://api.payments-gateway.example/v1/charges
# A kubelet-style probe from the node, and a DNS query (UDP) to kube-dns.
c --interface 172.20.0.11 http://10.244.1.11:8080/healthz
run node dns-query.mjs 10.244.1.11 10.96.0.10 payment-processor.fintech-core.svc.cluster.local

sleep 1.5
run pkill -INT tcpdump || true
run pkill -INT dumpcap || true
sleep 1
cp "$WORK/demo.pcap" demo.pcap
cp "$WORK/demo.pcapng" demo.pcapng && chmod 644 demo.pcap demo.pcapng
echo "recorded: $(ls -l demo.pcap demo.pcapng | awk '{print $5, $9}' | tr '\n' ' ')"
