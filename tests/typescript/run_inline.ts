// Runs examples/typescript as an Automation API inline program on the real Pulumi CLI
// (tests/test_native_typescript.py). The CLI connects back to the language server in this process
// (`--client`), so no Node.js language host is needed.
//
//     node bin/run_inline.js up|preview|destroy <work dir> <project> <stack>
//
// The work dir holds the example's Pulumi.yaml and its stack config; the backend, passphrase and
// PATH (CLI, plugin) come from the environment. Prints one JSON line at the end: the operation of
// each of the program's resources by logical name, the change summary and the stack outputs.
import { LocalWorkspace, EngineEvent, OutputMap } from "@pulumi/pulumi/automation";
// The example's module export, the function a `runtime: nodejs` project's `pulumi up` calls.
import program = require("./index");

interface Outcome {
    ops: Record<string, string>;
    changes: Record<string, number>;
    outputs: OutputMap;
}

async function main(action: string, workDir: string, projectName: string, stackName: string): Promise<Outcome> {
    const stack = await LocalWorkspace.selectStack({ stackName, projectName, program }, { workDir });
    const ops: Record<string, string> = {};
    const onEvent = (event: EngineEvent) => {
        const meta = event.resourcePreEvent?.metadata;
        if (meta && !meta.type.startsWith("pulumi:providers:") && meta.type !== "pulumi:pulumi:Stack") {
            ops[meta.urn.split("::").pop()!] = meta.op;
        }
    };
    switch (action) {
        case "up": {
            const result = await stack.up({ onEvent });
            return { ops, changes: result.summary.resourceChanges ?? {}, outputs: result.outputs };
        }
        case "preview": {
            const result = await stack.preview({ onEvent });
            return { ops, changes: result.changeSummary, outputs: {} };
        }
        case "destroy": {
            const result = await stack.destroy({ onEvent });
            return { ops, changes: result.summary.resourceChanges ?? {}, outputs: {} };
        }
        default:
            throw new Error(`unknown action ${action}: up, preview or destroy`);
    }
}

const [action, workDir, projectName, stackName] = process.argv.slice(2);
main(action, workDir, projectName, stackName).then(
    (outcome) => console.log(JSON.stringify(outcome)),
    (error) => {
        console.error(error);
        process.exit(1);
    },
);
