export { TunekitError } from "./errors";
