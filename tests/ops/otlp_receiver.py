"""A tiny OTLP/HTTP receiver for tests: decodes what services export to ``/v1/traces`` and
``/v1/metrics`` (protobuf, as the OTLP exporters send it) and keeps it for assertions."""

from __future__ import annotations

import gzip
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import (
    ExportMetricsServiceRequest,
    ExportMetricsServiceResponse,
)
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)


def _attrs(kvs: Any) -> dict[str, Any]:
    out = {}
    for kv in kvs:
        value = kv.value
        out[kv.key] = (
            getattr(value, value.WhichOneof("value")) if value.WhichOneof("value") else None
        )
    return out


class OtlpReceiver:
    def __init__(self) -> None:
        self.traces: list[ExportTraceServiceRequest] = []
        self.metrics: list[ExportMetricsServiceRequest] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                if self.path == "/v1/traces":
                    request, response = ExportTraceServiceRequest(), ExportTraceServiceResponse()
                    target = receiver.traces
                elif self.path == "/v1/metrics":
                    request, response = (
                        ExportMetricsServiceRequest(),
                        ExportMetricsServiceResponse(),
                    )
                    target = receiver.metrics
                else:
                    self.send_response(404)
                    self.end_headers()
                    return
                request.ParseFromString(body)
                with receiver._lock:
                    target.append(request)
                payload = response.SerializeToString()
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> OtlpReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def spans(self) -> list[dict[str, Any]]:
        """Every span received: name, kind, trace id, status, attributes, and its resource."""
        with self._lock:
            requests = list(self.traces)
        out = []
        for request in requests:
            for rs in request.resource_spans:
                resource = _attrs(rs.resource.attributes)
                for ss in rs.scope_spans:
                    for span in ss.spans:
                        out.append(
                            {
                                "name": span.name,
                                "kind": span.kind,
                                "trace_id": span.trace_id.hex(),
                                "attributes": _attrs(span.attributes),
                                "resource": resource,
                            }
                        )
        return out

    def metric_points(self) -> dict[str, list[tuple[dict[str, Any], float]]]:
        """Metric name -> (attributes, value) of every data point received (histograms: count)."""
        with self._lock:
            requests = list(self.metrics)
        out: dict[str, list[tuple[dict[str, Any], float]]] = {}
        for request in requests:
            for rm in request.resource_metrics:
                resource = _attrs(rm.resource.attributes)
                for sm in rm.scope_metrics:
                    for metric in sm.metrics:
                        kind = metric.WhichOneof("data")
                        data = getattr(metric, kind)
                        for point in data.data_points:
                            if kind == "histogram":
                                value = float(point.count)
                            else:
                                value = float(
                                    point.as_int if point.HasField("as_int") else point.as_double
                                )
                            attrs = _attrs(point.attributes) | {
                                "service.name": resource.get("service.name")
                            }
                            out.setdefault(metric.name, []).append((attrs, value))
        return out
