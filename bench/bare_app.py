"""The baseline for ``bench/load.py``: a bare FastAPI endpoint that validates JSON and answers it."""

from __future__ import annotations

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Message(BaseModel):
    text: str


@app.post("/echo")
async def echo(message: Message) -> dict[str, str]:
    return {"reply": message.text}
