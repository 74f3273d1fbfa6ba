"""The deployment engine: turns resource registrations into provider calls and checkpoint edits.

Sequencing follows pkg/resource/deploy/step_generator.go: ignoreChanges, then Check(old inputs,
new inputs); a new resource is created; an existing one is diffed (olds = old outputs) and is
same, updated or replaced (create-before-delete, whose old copy is deleted after the program;
or delete-before-replace). After a successful program, resources it no longer registers are
deleted, dependents first. Thread-safe: registrations arrive on the SDK's executor threads.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pulumi.runtime.proto import resource_pb2

from .host import DIFF_NONE, DIFF_SOME, DIFF_UNKNOWN, HostError, ProviderHost, from_struct, to_struct
from .props import (
    PropertyMap,
    annotate_secrets,
    changed_keys,
    mark_secret_outputs,
    parse_path,
    process_ignore_changes,
)
from .state import Resource, StackFiles, resources, touch

STACK_TYPE = "pulumi:pulumi:Stack"
DYNAMIC_PREFIX = "pulumi-python:dynamic"
PROVIDER_TYPE = "pulumi:providers:pulumi-python"


class DeploymentError(Exception):
    """A deployment failed; the message is what `pulumi up` would print as the error.

    `result` is the operation's partial `Result` when raised by `Stack`.
    """

    def __init__(self, message: str, result: Any = None) -> None:
        super().__init__(message)
        self.result = result


@dataclass(frozen=True)
class Step:
    """One planned or executed step: op is create/update/replace/delete/same/read/drop."""

    op: str
    urn: str
    type: str
    keys: tuple[str, ...] = field(default=(), compare=False)

    @property
    def name(self) -> str:
        """The resource's logical name."""
        return self.urn.rsplit("::", 1)[-1]


def make_urn(stack: str, project: str, parent: str, type_: str, name: str) -> str:
    """The engine's URN: parent's qualified type (not the root stack's) joined with `$`."""
    if parent:
        parent_type = parent.split("::")[2]
        if parent_type != STACK_TYPE:
            type_ = f"{parent_type}${type_}"
    return f"urn:pulumi:{stack}::{project}::{type_}::{name}"


def _options(req: Any) -> dict[str, Any]:
    """Checkpoint fields taken from a RegisterResourceRequest."""
    opts: dict[str, Any] = {
        "parent": req.parent,
        "protect": bool(req.protect),
        "retainOnDelete": bool(req.retainOnDelete),
        "dependencies": list(req.dependencies),
        "propertyDependencies": {k: list(v.urns) for k, v in req.propertyDependencies.items()},
        "ignoreChanges": list(req.ignoreChanges),
        "replaceOnChanges": list(req.replaceOnChanges),
        "additionalSecretOutputs": list(req.additionalSecretOutputs),
    }
    if req.deleteBeforeReplaceDefined or req.deleteBeforeReplace:
        opts["deleteBeforeReplace"] = bool(req.deleteBeforeReplace)
    if req.HasField("customTimeouts"):
        t = req.customTimeouts
        opts["customTimeouts"] = {"create": t.create, "update": t.update, "delete": t.delete}
    return opts


def _replace_on_changes(keys: Iterable[str], paths: Iterable[str]) -> list[str]:
    """Changed keys covered by a replaceOnChanges path (`*` matches any element)."""
    parsed = [parse_path(p) for p in paths]
    hits = []
    for key in keys:
        key_path = parse_path(key)
        for path in parsed:
            prefix = key_path[: len(path)]
            if len(prefix) == len(path) and all(p in ("*", k) for p, k in zip(path, prefix, strict=True)):
                hits.append(key)
                break
    return hits


_KEY_ORDER = (
    "urn",
    "custom",
    "delete",
    "id",
    "type",
    "inputs",
    "outputs",
    "parent",
    "protect",
    "retainOnDelete",
    "provider",
    "dependencies",
    "propertyDependencies",
)


def _ordered(res: Resource) -> Resource:
    """The record with keys in checkpoint order (for readable state files)."""
    return {**{k: res[k] for k in _KEY_ORDER if k in res}, **res}


def _dependencies(res: Resource) -> set[str]:
    deps = set(res.get("dependencies", []))
    deps.update(u for urns in res.get("propertyDependencies", {}).values() for u in urns)
    if res.get("parent"):
        deps.add(res["parent"])
    if res.get("provider"):
        deps.add(res["provider"].rsplit("::", 1)[0])
    return deps


def dependents_first(items: list[Resource]) -> list[Resource]:
    """Order for deletion: nothing is deleted while something in `items` still depends on it."""
    remaining = list(items)
    ordered: list[Resource] = []
    while remaining:
        needed = set().union(*(_dependencies(r) for r in remaining))
        free = [r for r in remaining if r["urn"] not in needed] or remaining[-1:]
        for res in reversed(free):
            ordered.append(res)
            remaining.remove(res)
    return ordered


def protected_message(urn: str) -> str:
    """The engine's refusal to delete a protected resource."""
    return (
        f"resource {urn} cannot be deleted because it is protected. To unprotect the resource, "
        "either remove the `protect` flag from the resource in your Pulumi program and run "
        f"`pulumi up`, or use the command: `pulumi state unprotect {urn}`"
    )


class Engine:
    """Engine state for one operation on one stack."""

    def __init__(
        self,
        files: StackFiles,
        host_factory: Callable[[], ProviderHost],
        config: Mapping[str, Any],
        preview: bool = False,
    ) -> None:
        self.files = files
        self.preview = preview
        self.config = dict(config)
        self.checkpoint = files.load_checkpoint()
        self.records: list[Resource] = resources(self.checkpoint)
        self.steps: list[Step] = []
        self.logs: list[str] = []
        self.errors: list[str] = []
        self.stack_outputs: PropertyMap = {}
        self.registered: set[str] = set()
        self._host: ProviderHost | None = None
        self._host_factory = host_factory
        self._lock = threading.RLock()
        self._replaced: list[Resource] = []  # originals of this run's create-before-delete replacements
        self._drop_stale_pending_operations()

    # -- plumbing ---------------------------------------------------------------------------

    @property
    def host(self) -> ProviderHost:
        """The provider host, started and configured on first use."""
        with self._lock:
            if self._host is None:
                host = self._host_factory()
                plain = {k: v["value"] if isinstance(v, dict) else v for k, v in self.config.items()}
                secret = [k for k, v in self.config.items() if isinstance(v, dict)]
                host.configure(plain, secret)
                self._host = host
            return self._host

    def shutdown(self) -> ProviderHost | None:
        """Stop the host if one was started; returns it (for its call log)."""
        with self._lock:
            host, self._host = self._host, None
        if host is not None:
            host.close()
        return host

    def _save(self) -> None:
        if self.preview:
            return
        touch(self.checkpoint)
        outer = self.checkpoint["checkpoint"]
        latest = {**outer["latest"], "resources": [_ordered(r) for r in self.records]}
        self.files.save_checkpoint({**self.checkpoint, "checkpoint": {**outer, "latest": latest}})

    def _pending(self) -> list[dict[str, Any]]:
        latest = self.checkpoint["checkpoint"]["latest"]
        ops: list[dict[str, Any]] = latest.setdefault("pending_operations", [])
        return ops

    def _drop_stale_pending_operations(self) -> None:
        for op in self._pending():
            self.logs.append(
                f"warning: dropping pending operation '{op['type']}' on {op['resource']['urn']} from an "
                "interrupted deployment; the resource may exist without being tracked"
            )
        self._pending().clear()

    def _begin(self, kind: str, res: Resource) -> dict[str, Any]:
        op = {"resource": {k: v for k, v in res.items() if k != "outputs"}, "type": kind}
        with self._lock:
            self._pending().append(op)
            self._save()
        return op

    def _end(self, op: dict[str, Any], apply: Callable[[], None] = lambda: None) -> None:
        with self._lock:
            self._pending()[:] = [o for o in self._pending() if o is not op]
            apply()
            self._save()

    def _step(self, op: str, res: Resource, keys: Iterable[str] = ()) -> None:
        if res["type"] != PROVIDER_TYPE:
            with self._lock:
                self.steps.append(Step(op, res["urn"], res["type"], tuple(keys)))

    def fail(self, message: str) -> DeploymentError:
        """Record `message` as a deployment error and return the exception to raise."""
        with self._lock:
            self.errors.append(message)
        return DeploymentError(message)

    def _current(self, urn: str) -> Resource | None:
        with self._lock:
            return next((r for r in self.records if r["urn"] == urn and not r.get("delete")), None)

    def _replace_record(self, old: Resource | None, new: Resource) -> None:
        with self._lock:
            if old is not None and any(r is old for r in self.records):
                self.records[next(i for i, r in enumerate(self.records) if r is old)] = new
            else:
                self.records.append(new)

    def _remove_record(self, res: Resource) -> None:
        with self._lock:
            self.records[:] = [r for r in self.records if r is not res]

    # -- registration -----------------------------------------------------------------------

    def register(self, req: Any, urn: str) -> resource_pb2.RegisterResourceResponse:
        """Handle one RegisterResource; raises DeploymentError (recorded) on failure."""
        with self._lock:
            if urn in self.registered:
                raise self.fail(f"Duplicate resource URN '{urn}'; try giving it a unique name")
            self.registered.add(urn)
        goal = from_struct(req.object)
        new: Resource = {"urn": urn, "custom": bool(req.custom), "type": req.type, **_options(req)}
        if not req.custom:
            outputs = self._register_component(new, goal)
            return resource_pb2.RegisterResourceResponse(urn=urn, object=to_struct(outputs))
        if not req.type.startswith(DYNAMIC_PREFIX):
            raise self.fail(f"{urn}: the harness only runs pulumi-python dynamic providers, not {req.type}")
        try:
            id_, outputs = self._register_dynamic(new, goal)
        except HostError as exc:
            raise self.fail(f"{urn}: {exc.method} failed: {exc.details}") from exc
        return resource_pb2.RegisterResourceResponse(urn=urn, id=id_, object=to_struct(outputs))

    def _register_component(self, new: Resource, goal: PropertyMap) -> PropertyMap:
        old = self._current(new["urn"])
        new.update(inputs=goal, outputs=old.get("outputs", {}) if old else {})
        op = "create" if old is None else "update" if changed_keys(old.get("inputs", {}), goal) else "same"
        with self._lock:
            self._replace_record(old, new)
            self._save()
        self._step(op, new)
        return {}

    def _default_provider(self) -> str:
        with self._lock:
            urn = make_urn(self.files.stack, self.files.project, "", PROVIDER_TYPE, "default")
            prov = self._current(urn)
            if prov is None:
                prov = {
                    "urn": urn,
                    "custom": True,
                    "id": str(uuid.uuid4()),
                    "type": PROVIDER_TYPE,
                    "inputs": {},
                    "outputs": {},
                }
                self.records.append(prov)
                self._save()
            self.registered.add(urn)
            return f"{urn}::{prov['id']}"

    def _register_dynamic(self, new: Resource, goal: PropertyMap) -> tuple[str, PropertyMap]:
        urn = new["urn"]
        new["provider"] = self._default_provider()
        old = self._current(urn)
        inputs = goal
        if old is not None:
            try:
                inputs = process_ignore_changes(goal, old["inputs"], new["ignoreChanges"])
            except ValueError as exc:
                raise self.fail(f"{urn}: {exc}") from exc
        new["inputs"] = self._check(new, old["inputs"] if old else {}, inputs)
        if old is None:
            return self._create(new, "create")
        diff = self.host.diff(urn, old["id"], old["outputs"], new["inputs"], old["inputs"], new["ignoreChanges"])
        changes, changed = diff.changes, diff.diffs
        if changes == DIFF_UNKNOWN:
            processed = process_ignore_changes(new["inputs"], old["inputs"], new["ignoreChanges"])
            changed = changed_keys(old["inputs"], processed)
            changes = DIFF_SOME if changed else DIFF_NONE
        if changes != DIFF_SOME:
            new.update(id=old["id"], outputs=mark_secret_outputs(old["outputs"], new["additionalSecretOutputs"]))
            with self._lock:
                self._replace_record(old, new)
                self._save()
            self._step("same", new)
            return old["id"], new["outputs"]
        replace_keys = list(diff.replaces) + _replace_on_changes(changed, new["replaceOnChanges"])
        if not replace_keys:
            return self._update(old, new, changed)
        dbr = new.get("deleteBeforeReplace", diff.delete_before_replace)
        return self._replace(old, new, goal, sorted(set(replace_keys)), dbr)

    def _check(self, new: Resource, olds: PropertyMap, news: PropertyMap) -> PropertyMap:
        result = self.host.check(new["urn"], olds, news)
        if result.failures:
            lines = "\n".join(f"  - {prop or '<resource>'}: {reason}" for prop, reason in result.failures)
            name = new["urn"].rsplit("::", 1)[-1]
            raise self.fail(f"resource '{name}' ({new['type']}) is invalid:\n{lines}")
        return annotate_secrets(result.inputs, news)

    def _finish_outputs(self, new: Resource, outs: PropertyMap) -> PropertyMap:
        return mark_secret_outputs(annotate_secrets(outs, new["inputs"]), new["additionalSecretOutputs"])

    def _create(self, new: Resource, step: str, keys: Iterable[str] = ()) -> tuple[str, PropertyMap]:
        if self.preview:
            self._step(step, new, keys)
            return "", new["inputs"]
        op = self._begin("creating", new)
        try:
            id_, outs = self.host.create(new["urn"], new["inputs"])
        except BaseException:
            self._end(op)
            raise
        if not id_:
            self._end(op)
            raise self.fail(f"plugin for package 'pulumi-python' returned empty resource.ID from create '{new['urn']}'")
        new.update(id=id_, outputs=self._finish_outputs(new, outs))
        self._end(op, lambda: self.records.append(new))
        self._step(step, new, keys)
        return id_, new["outputs"]

    def _update(self, old: Resource, new: Resource, keys: list[str]) -> tuple[str, PropertyMap]:
        new["id"] = old["id"]
        if self.preview:
            self._step("update", new, keys)
            return old["id"], new["inputs"]
        op = self._begin("updating", new)
        try:
            outs = self.host.update(
                new["urn"], old["id"], old["outputs"], new["inputs"], old["inputs"], new["ignoreChanges"]
            )
        finally:
            self._end(op)
        new["outputs"] = self._finish_outputs(new, outs)
        with self._lock:
            self._replace_record(old, new)
            self._save()
        self._step("update", new, keys)
        return old["id"], new["outputs"]

    def _replace(
        self, old: Resource, new: Resource, goal: PropertyMap, keys: list[str], dbr: bool
    ) -> tuple[str, PropertyMap]:
        if new["protect"] and old.get("protect"):
            raise self.fail(
                f'unable to replace resource "{new["urn"]}"\nas it is currently marked for protection. '
                "To unprotect the resource, remove the `protect` flag from the resource in your Pulumi "
                "program and run `pulumi up`"
            )
        new["inputs"] = self._check(new, {}, goal)
        old["protect"] = False  # unprotecting and replacing in one update is allowed
        if self.preview:
            return self._create(new, "replace", keys)
        if dbr:
            self._delete(old, step=False)
            return self._create(new, "replace", keys)
        result = self._create(new, "replace", keys)
        with self._lock:
            old["delete"] = True
            self._replaced.append(old)
            self._save()
        return result

    def register_outputs(self, urn: str, outputs: PropertyMap) -> None:
        """RegisterResourceOutputs: component outputs; the root stack's are the stack outputs."""
        with self._lock:
            res = self._current(urn)
            if res is not None:
                res["outputs"] = outputs
                self._save()
            if urn.split("::")[2] == STACK_TYPE:
                self.stack_outputs = outputs

    # -- deletion ---------------------------------------------------------------------------

    def _delete(self, res: Resource, step: bool = True) -> None:
        """Delete one resource (honouring protect and retainOnDelete) and drop it from state."""
        if res.get("protect"):
            raise self.fail(protected_message(res["urn"]))
        step = step and not any(r is res for r in self._replaced)
        if self.preview:
            if step:
                self._step("delete", res)
            return
        if res.get("custom") and res["type"].startswith(DYNAMIC_PREFIX) and not res.get("retainOnDelete"):
            op = self._begin("deleting", res)
            try:
                self.host.delete(res["urn"], res["id"], res["outputs"], res["inputs"])
            except HostError as exc:
                self._end(op)
                raise self.fail(f"{res['urn']}: Delete failed: {exc.details}") from exc
            self._end(op, lambda: self._remove_record(res))
        else:
            with self._lock:
                self._remove_record(res)
                self._save()
        if step:
            self._step("delete", res)

    def finish(self) -> None:
        """After a successful program: delete unregistered resources and replaced originals."""
        with self._lock:
            doomed = [r for r in self.records if r.get("delete") or r["urn"] not in self.registered]
        for res in dependents_first(doomed):
            self._delete(res)

    def refresh(self) -> None:
        """Read every dynamic resource: gone -> drop; otherwise take the live outputs (and inputs)."""
        for res in list(self.records):
            if not (res.get("custom") and res["type"].startswith(DYNAMIC_PREFIX)):
                continue
            try:
                read = self.host.read(res["urn"], res["id"], res["outputs"], res["inputs"])
            except HostError as exc:
                raise self.fail(f"{res['urn']}: Read failed: {exc.details}") from exc
            if not read.id:
                with self._lock:
                    self._remove_record(res)
                    self._save()
                self._step("drop", res)
                continue
            outputs = mark_secret_outputs(
                annotate_secrets(read.outputs, res["outputs"]), res.get("additionalSecretOutputs", [])
            )
            inputs = res["inputs"] if read.inputs is None else annotate_secrets(read.inputs, res["inputs"])
            changed = bool(changed_keys(res["outputs"], outputs) or changed_keys(res["inputs"], inputs))
            with self._lock:
                res.update(id=read.id, outputs=outputs, inputs=inputs)
                self._save()
            self._step("read" if changed else "same", res)

    def destroy(self) -> None:
        """Delete every resource, dependents first."""
        with self._lock:
            everything = list(self.records)
        for res in dependents_first(everything):
            self._delete(res)
