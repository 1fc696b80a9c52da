"""One window per database: a second start hands its files to the window already open.

The window owns its database while it runs. A second ``daryn-desktop`` (a double-clicked
``.dsb`` bundle while the window is open, or the program started again) would open the same
database a second time; instead it sends the files it was given to the running window,
which imports them in its Sync section and comes to the front, and the second start ends.

The running program listens on a local socket (a named pipe on Windows) whose name is made
from the database it opened and, when it was started on its data folder's database, from
that folder: a start with the same ``--db``, or a plain start (``--import FILE`` from the
file association) with the same data folder, finds it. The socket is the user's own.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

#: How long a second start waits for the running program to answer.
HAND_OVER_MS = 3000


def server_name(key: Path) -> str:
    """The socket's name for a database or a data folder (``key``), for this user."""
    user = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "")
    text = f"{user}\0{Path(key).expanduser().resolve()}"
    return "daryn-desktop-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def hand_over(name: str, files: Sequence[str]) -> bool:
    """Give ``files`` to a program listening on ``name``; True if one took them (and so
    this start should end)."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(HAND_OVER_MS):
        return False
    message = json.dumps({"files": [str(Path(f).resolve()) for f in files]})
    socket.write(message.encode("utf-8") + b"\n")
    socket.waitForBytesWritten(HAND_OVER_MS)
    answered = socket.waitForReadyRead(HAND_OVER_MS) and bytes(
        socket.readAll().data()).startswith(b"ok")
    socket.disconnectFromServer()
    return answered


def _answers(name: str) -> bool:
    """Whether a program listens on ``name`` right now."""
    socket = QLocalSocket()
    socket.connectToServer(name)
    alive = socket.waitForConnected(500)
    socket.abort()
    return alive


class Listener(QObject):
    """The running program's end: receives the files of later starts (``received``)."""

    received = Signal(list)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._servers: dict[str, QLocalServer] = {}
        self._buffers: dict[QLocalSocket, bytes] = {}

    def listen(self, name: str) -> bool:
        """Answer starts that look for ``name`` too (a program may be found by two)."""
        if name in self._servers:
            return True
        if _answers(name):
            return False  # another program (started at the same moment) listens there
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(name):
            # A program that crashed leaves its socket file behind (Unix): nobody answers
            # on it, so it is taken over.
            QLocalServer.removeServer(name)
            if not server.listen(name):
                return False
        server.newConnection.connect(lambda: self._accept(server))
        self._servers[name] = server
        return True

    def _accept(self, server: QLocalServer) -> None:
        while (socket := server.nextPendingConnection()) is not None:
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))

    def _forget(self, socket: QLocalSocket) -> None:
        self._buffers.pop(socket, None)
        socket.deleteLater()

    def _read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if b"\n" not in data:
            self._buffers[socket] = data[:1_000_000]  # a line of file names, no more
            return
        line = data.split(b"\n", 1)[0]
        try:
            files = [str(f) for f in json.loads(line.decode("utf-8"))["files"]]
        except (ValueError, KeyError, TypeError):
            files = None
        socket.write(b"ok\n" if files is not None else b"no\n")
        socket.flush()
        if files is not None:
            self.received.emit(files)


class Arrivals:
    """Files handed over by later starts, passed to the window once there is one
    (``deliver``); before that (the password is being asked for) they wait, and ``early``
    brings what is on screen to the front."""

    def __init__(self, listener: Listener, deliver: Callable[[list[str]], None], *,
                 early: Callable[[], object] = lambda: None):
        self._deliver, self._early = deliver, early
        self._waiting: list[str] = []
        self._ready = False
        listener.received.connect(self._arrived)

    def _arrived(self, files: list[str]) -> None:
        if self._ready:
            self._deliver(files)
        else:
            self._waiting += files  # imported as soon as the window is there
            self._early()

    def ready(self) -> None:
        self._ready = True
        waiting, self._waiting = self._waiting, []
        self._deliver(waiting)
