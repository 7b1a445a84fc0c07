"""Structured logs: one JSON line per record, and one record per request.

The request record carries method, path (never the query string, which may hold a receipt code
or a search), status, duration and the retry attempt; never a login, name, ID number or phone.
Use ``portal.logs.JsonFormatter`` as the formatter class in the .ini file (see zeo.ini).
"""
import json
import logging
import time

log = logging.getLogger("portal.requests")


class JsonFormatter(logging.Formatter):
    def format(self, record):
        data = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"), "level": record.levelname,
                "logger": record.name, "message": record.getMessage()}
        data.update(getattr(record, "fields", {}))
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


def request_log_tween_factory(handler, registry):
    def tween(request):
        started = time.perf_counter()
        status = 500
        try:
            response = handler(request)
            status = response.status_int
            return response
        finally:
            log.info("request", extra={"fields": {
                "method": request.method, "path": request.path, "status": status,
                "ms": round((time.perf_counter() - started) * 1000, 1),
                "attempt": request.environ.get("retry.attempt", 0)}})
    return tween


def includeme(config):
    config.add_tween("portal.logs.request_log_tween_factory")
