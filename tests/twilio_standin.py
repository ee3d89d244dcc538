"""A local stand-in for Twilio's Messages API, so the official SDK is tested over HTTP.

`TwilioStandin().script(...)` queues responses (status, JSON body); once the script runs
out, every request is accepted. `accepted` lists the messages answered with 201.
"""

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


class TwilioStandin:
    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.accepted: list[dict] = []
        self._script: list[tuple[int, dict]] = []
        # Seconds the stand-in takes to answer, and a flag raised when a request arrives:
        # a send in mid-flight.
        self.delay = 0.0
        self.received = threading.Event()
        self.arrived: list[dict] = []  # every request, as it arrives
        # Called with each request's form as it arrives (a test moving its clock).
        self.on_request = None
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "TwilioStandin":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def script(self, *responses: tuple[int, dict]) -> None:
        with self._lock:
            self._script.extend(responses)

    @staticmethod
    def error(status: int, code: int, message: str = "error") -> tuple[int, dict]:
        return status, {"code": code, "message": message, "status": status}

    def _respond(self, account_sid: str, form: dict) -> tuple[int, dict]:
        with self._lock:
            self.requests.append(form)
            if self._script:
                return self._script.pop(0)
            sid = f"SM{uuid.uuid4().hex}"
            message = {
                "sid": sid,
                "account_sid": account_sid,
                "to": form.get("To"),
                "from": form.get("From"),
                "messaging_service_sid": form.get("MessagingServiceSid"),
                "body": form.get("Body"),
                "status": "queued",
                "num_segments": "1",
                "direction": "outbound-api",
                "api_version": "2010-04-01",
                "uri": f"/2010-04-01/Accounts/{account_sid}/Messages/{sid}.json",
            }
            self.accepted.append(form)
            return 201, message

    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                parts = self.path.strip("/").split("/")
                # /2010-04-01/Accounts/{sid}/Messages.json
                if len(parts) != 4 or parts[1] != "Accounts" or parts[3] != "Messages.json":
                    self._send(404, {"code": 20404, "message": "not found", "status": 404})
                    return
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                form = {key: values[0] for key, values in parse_qs(raw).items()}
                standin.arrived.append(form)
                standin.received.set()
                if standin.on_request is not None:
                    standin.on_request(form)
                if standin.delay:
                    time.sleep(standin.delay)
                self._send(*standin._respond(parts[2], form))

            def _send(self, status: int, payload: dict) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        return Handler
