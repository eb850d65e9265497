export * as instruct from "@tunekit/instruct";
export * as lora from "@tunekit/lora";
export * as metrics from "@tunekit/metrics";
export * as softPrompt from "@tunekit/soft-prompt";
export * as tensor from "@tunekit/tensor";
