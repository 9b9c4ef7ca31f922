"""Request and response bodies of the partners API, every field described (中文 / English)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from pydantic import BaseModel, Field, HttpUrl, field_validator, model_validator

from partners.domain.model import (
    GRANTABLE_SCOPES,
    SERVICES,
    AuthMethod,
    ClientKind,
    ClientStatus,
    DeliveryStatus,
    SubscriptionStatus,
)
from partners.webhooks.catalog import BY_NAME
from suxin_common.freetext import FreeText
from suxin_common.identity import InvalidIdentifier, normalize_uscc
from suxin_common.web import InputModel

_EXAMPLE_JWKS = {
    "keys": [
        {
            "kty": "EC",
            "crv": "P-256",
            "kid": "platform-key-1",
            "x": "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
            "y": "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
            "use": "sig",
            "alg": "ES256",
        }
    ]
}


class Jwk(InputModel):
    """A public key (RFC 7517). Private members (`d`, `p`, `q`, `k` …) are refused."""

    kty: Literal["EC", "RSA", "OKP"] = Field(description="密钥类型 / key type")
    kid: str = Field(min_length=1, max_length=100, description="密钥标识 / key id")
    use: Literal["sig"] | None = Field(None, description="用途 / use (sig)")
    alg: str | None = Field(None, max_length=20, description="算法 / algorithm, e.g. ES256")
    crv: str | None = Field(None, max_length=20, description="曲线 / curve (EC, OKP)")
    x: str | None = Field(None, max_length=200, description="公钥 x 坐标 / public x (EC, OKP)")
    y: str | None = Field(None, max_length=200, description="公钥 y 坐标 / public y (EC)")
    n: str | None = Field(None, max_length=2000, description="模数 / modulus (RSA)")
    e: str | None = Field(None, max_length=20, description="公钥指数 / public exponent (RSA)")


class Jwks(InputModel):
    """A JSON Web Key Set of public keys."""

    keys: list[Jwk] = Field(min_length=1, max_length=10, description="公钥 / the public keys")

    @model_validator(mode="after")
    def _usable(self) -> Jwks:
        try:
            KeySet.import_key_set(self.document())
        except (JoseError, ValueError, TypeError, KeyError) as exc:
            raise ValueError(f"not a usable JWKS: {exc}") from None
        return self

    def document(self) -> dict[str, Any]:
        return {"keys": [k.model_dump(exclude_none=True) for k in self.keys]}


class ClientIn(InputModel):
    """A partner client to register (登记合作方应用)."""

    name: str = Field(
        min_length=1,
        max_length=100,
        description="合作方名称 / partner's name",
        examples=["速达配送科技有限公司"],
    )
    kind: ClientKind = Field(
        description="合作方类型: platform 平台企业, institution 培训机构, verifier 核验机构 / kind"
    )
    uscc: str = Field(
        description="统一社会信用代码 / unified social credit code of the organisation",
        examples=["91321002MA1XYZ1234"],
    )
    scopes: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="授予的权限 / scopes the client may ask for",
        examples=[["orders:write", "workers:write", "claims:read", "webhooks:manage"]],
    )
    services: list[str] = Field(
        default_factory=list,
        max_length=10,
        description="可访问的服务，空表示全部 / services whose APIs accept the tokens (empty: all)",
        examples=[["gig-market", "injury-insurance", "partners"]],
    )
    auth_method: AuthMethod = Field(
        AuthMethod.PRIVATE_KEY_JWT,
        description="令牌端点认证方式 / how the client authenticates at the token endpoint",
    )
    jwks: Jwks | None = Field(
        None,
        description="客户端公钥集 (JWKS) / the client's public keys, for private_key_jwt",
        examples=[_EXAMPLE_JWKS],
    )
    jwks_uri: HttpUrl | None = Field(
        None, description="客户端公钥地址 / URL of the client's JWKS, instead of `jwks`"
    )
    institution_id: uuid.UUID | None = Field(
        None,
        description="培训机构在培训服务中的标识 / the institution's id in training-vouchers "
        "(required for kind=institution)",
    )

    @field_validator("uscc")
    @classmethod
    def _uscc(cls, value: str) -> str:
        try:
            return normalize_uscc(value)
        except InvalidIdentifier as exc:
            raise ValueError(str(exc)) from None

    @field_validator("services")
    @classmethod
    def _services(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - SERVICES)
        if unknown:
            raise ValueError("unknown service(s): " + ", ".join(unknown))
        return sorted(set(value))

    @model_validator(mode="after")
    def _consistent(self) -> ClientIn:
        allowed = GRANTABLE_SCOPES[self.kind]
        not_allowed = sorted(set(self.scopes) - allowed)
        if not_allowed:
            raise ValueError(
                f"scope(s) not grantable to a {self.kind.value} client: " + " ".join(not_allowed)
            )
        self.scopes = sorted(set(self.scopes))
        if self.auth_method is AuthMethod.PRIVATE_KEY_JWT:
            if (self.jwks is None) == (self.jwks_uri is None):
                raise ValueError("private_key_jwt needs exactly one of jwks and jwks_uri")
        elif self.jwks is not None or self.jwks_uri is not None:
            raise ValueError("a client-secret client registers no keys")
        if self.kind is ClientKind.INSTITUTION and self.institution_id is None:
            raise ValueError("an institution client needs institution_id")
        return self


class KeysIn(InputModel):
    """New public keys of a private_key_jwt client (key rotation: publish the new key beside
    the old one, switch, then drop the old one)."""

    jwks: Jwks | None = Field(
        None, description="客户端公钥集 / the client's public keys", examples=[_EXAMPLE_JWKS]
    )
    jwks_uri: HttpUrl | None = Field(None, description="客户端公钥地址 / URL of the client's JWKS")

    @model_validator(mode="after")
    def _one(self) -> KeysIn:
        if (self.jwks is None) == (self.jwks_uri is None):
            raise ValueError("give exactly one of jwks and jwks_uri")
        return self


class RevokeIn(InputModel):
    reason: FreeText = Field(
        min_length=2,
        max_length=500,
        description="撤销原因 / why the client is revoked",
        examples=["合作协议终止 / partnership ended"],
    )


class ClientOut(BaseModel):
    client_id: str = Field(description="客户端标识 / client id (also the token's sub)")
    name: str = Field(description="合作方名称 / partner's name")
    kind: ClientKind = Field(description="合作方类型 / kind of partner")
    uscc: str = Field(description="统一社会信用代码 / credit code of the organisation")
    scopes: list[str] = Field(description="授予的权限 / granted scopes")
    services: list[str] = Field(description="可访问的服务 / services the tokens are for")
    auth_method: AuthMethod = Field(description="认证方式 / token endpoint authentication")
    key_ids: list[str] = Field(description="已登记公钥的 kid / kids of the registered keys")
    jwks_uri: str | None = Field(description="公钥地址 / JWKS URL")
    institution_id: str | None = Field(description="培训机构标识 / institution id")
    status: ClientStatus = Field(description="状态 / active or revoked")
    created_at: datetime = Field(description="登记时间 / registered at")
    revoked_at: datetime | None = Field(description="撤销时间 / revoked at")


class ClientCreated(ClientOut):
    client_secret: str | None = Field(
        None,
        description="客户端密钥，仅显示一次 / the client secret, shown once (secret methods only)",
    )


class SecretRotated(BaseModel):
    client_secret: str = Field(description="新密钥，仅显示一次 / the new secret, shown once")
    previous_valid_until: datetime = Field(
        description="旧密钥失效时间 / when the previous secret stops working"
    )


# --- webhooks -------------------------------------------------------------------------------


class EventTypeOut(BaseModel):
    name: str = Field(description="事件类型 / event type (the bus subject)")
    title_zh: str = Field(description="中文名称 / Chinese name")
    description: str = Field(description="说明 / what it tells")


class SubscriptionIn(InputModel):
    """A webhook subscription (订阅事件推送)."""

    url: HttpUrl = Field(
        description="接收地址 / where deliveries are POSTed (https in production)",
        examples=["https://partner.example.com/suxin/webhooks"],
    )
    event_types: list[str] = Field(
        min_length=1,
        max_length=20,
        description="订阅的事件类型 / event types to receive (GET /v1/webhooks/event-types)",
        examples=[["suxin.insurance.claim_stage_changed.v1"]],
    )
    description: FreeText | None = Field(
        None, max_length=200, description="备注 / a note for the partner's own use"
    )

    @field_validator("event_types")
    @classmethod
    def _types(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(BY_NAME))
        if unknown:
            raise ValueError("unknown event type(s): " + ", ".join(unknown))
        return sorted(set(value))


class SubscriptionOut(BaseModel):
    id: uuid.UUID = Field(description="订阅标识 / subscription id")
    client_id: str = Field(description="客户端标识 / the subscribing client")
    url: str = Field(description="接收地址 / delivery URL")
    event_types: list[str] = Field(description="订阅的事件类型 / subscribed event types")
    description: str | None = Field(description="备注 / note")
    status: SubscriptionStatus = Field(description="状态 / active or disabled")
    disabled_reason: str | None = Field(description="停用原因（通知）/ why it was disabled")
    secret_rotation_overlap_until: datetime | None = Field(
        description="旧密钥仍在签名至 / the previous secret also signs until"
    )
    created_at: datetime = Field(description="创建时间 / created at")


class SubscriptionCreated(SubscriptionOut):
    secret: str = Field(description="签名密钥 (whsec_…)，仅显示一次 / signing secret, shown once")


class SecretOut(BaseModel):
    secret: str = Field(description="新签名密钥，仅显示一次 / the new signing secret, shown once")
    previous_valid_until: datetime = Field(
        description="旧密钥停止签名时间 / when the previous secret stops signing"
    )


class AttemptOut(BaseModel):
    attempt: int = Field(description="第几次尝试 / attempt number")
    attempted_at: datetime = Field(description="尝试时间 / when")
    status_code: int | None = Field(description="对方应答状态码 / receiver's HTTP status")
    error: str | None = Field(description="错误 / what went wrong")
    duration_ms: int = Field(description="耗时（毫秒）/ duration in ms")


class DeliveryOut(BaseModel):
    id: str = Field(description="消息标识 (webhook-id) / message id, the same on every retry")
    subscription_id: uuid.UUID = Field(description="订阅标识 / subscription id")
    event_id: str = Field(description="事件标识 / the domain event's id")
    event_type: str = Field(description="事件类型 / event type")
    status: DeliveryStatus = Field(description="状态 / pending, delivered or failed")
    attempts: int = Field(description="已尝试次数 / attempts made")
    next_attempt_at: datetime | None = Field(description="下次尝试 / next attempt (pending)")
    last_status_code: int | None = Field(description="最近应答状态码 / last HTTP status")
    last_error: str | None = Field(description="最近错误 / last error")
    created_at: datetime = Field(description="生成时间 / created at")
    delivered_at: datetime | None = Field(description="送达时间 / delivered at")
    attempt_log: list[AttemptOut] = Field(description="尝试记录 / the attempts")
