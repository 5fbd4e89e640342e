"""``/api/v1/conversations``: start a conversation, send it messages, read it back, erase its personal data."""

from __future__ import annotations

import re
import time
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Header, Request, status
from starlette.concurrency import run_in_threadpool

from ...errors import ConversationNotFound
from ...results import ConversationView, NewConversation, PersonalDataErased, TurnResult
from ..deps import (
    AdminKey,
    BearerToken,
    IdempotencyKey,
    ServicesDep,
    bearer_token,
    client_limit,
    conversation_limit,
    require_admin,
)
from ..errors import responses
from ..schemas import MessageIn

router = APIRouter(prefix="/api/v1/conversations", tags=["conversations"], dependencies=[Depends(client_limit)])

_ID = re.compile(r"^[0-9a-f]{32}$")


def _known_shape(conversation_id: str) -> str:
    if not _ID.match(conversation_id):  # same answer as a wrong token: nothing to learn
        raise ConversationNotFound("no such conversation")
    return conversation_id


@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=NewConversation, responses=responses(429, 503),
    summary="Start a conversation",
)  # fmt: skip
async def start(services: ServicesDep) -> NewConversation:
    """Returns the greeting and the conversation's token: keep it, it is shown only once."""
    return await run_in_threadpool(services.manager.start)


@router.post(
    "/{conversation_id}/messages", response_model=TurnResult, responses=responses(400, 401, 404, 409, 422, 429, 503),
    summary="Send a customer message",
)  # fmt: skip
async def send_message(
    conversation_id: str,
    request: Request,
    services: ServicesDep,
    token: BearerToken,
    key: IdempotencyKey,
    message: Annotated[MessageIn, Body()],
) -> TurnResult:
    """The bot's reply, the booking's state after it, and what the tagger understood."""
    _known_shape(conversation_id)
    await conversation_limit(request, conversation_id)
    began = time.perf_counter()
    parse = await services.batcher.parse(message.text)
    tagger_ms = 1000 * (time.perf_counter() - began)
    return await run_in_threadpool(
        services.manager.reply,
        conversation_id=conversation_id, token=token, text=message.text, parse=parse, idempotency_key=key,
        tagger_ms=tagger_ms,
    )  # fmt: skip


@router.get(
    "/{conversation_id}", response_model=ConversationView, responses=responses(401, 404, 429, 503),
    summary="Read a conversation",
)  # fmt: skip
async def read(conversation_id: str, services: ServicesDep, token: BearerToken) -> ConversationView:
    """State, bookings and the transcript, for a reload of the chat."""
    _known_shape(conversation_id)
    return await run_in_threadpool(services.manager.conversation, conversation_id=conversation_id, token=token)


@router.delete(
    "/{conversation_id}/personal-data", response_model=PersonalDataErased,
    responses=responses(401, 403, 404, 429, 503), summary="Erase a conversation's personal data",
    response_description="Erased (or nothing was left to erase)",
)  # fmt: skip
async def erase_personal_data(
    conversation_id: str,
    services: ServicesDep,
    admin_key: AdminKey,
    authorization: Annotated[
        str | None, Header(description="`Bearer <token>` of the conversation; or send X-Admin-Key instead")
    ] = None,
) -> PersonalDataErased:
    """Removes every traveller name the conversation holds: from its bookings, its state and its
    transcript (replaced by "[erased]"). The bookings stay, cancellable as before. Idempotent: a
    repeat erases nothing more and answers 200. With the conversation's token, or an operator's
    ``X-Admin-Key`` (403 if it is wrong or the admin API is disabled)."""
    _known_shape(conversation_id)
    if admin_key is not None:
        require_admin(services, admin_key)
        return await run_in_threadpool(
            services.manager.erase_personal_data_as_operator, conversation_id=conversation_id
        )
    token = await bearer_token(authorization)
    return await run_in_threadpool(services.manager.erase_personal_data, conversation_id=conversation_id, token=token)
