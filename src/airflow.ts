/**
 * `updraft/airflow`: a Plan as an Airflow DAG file and its pools, as `updraft export airflow` writes.
 *
 * @example
 * ```ts
 * import { toAirflow } from "updraft/airflow";
 * ```
 */
export { toAirflow, poolsJson, AirflowExportError } from "./executors/airflow/export.js";
export type { AirflowExport, AirflowOptions, ExportFile } from "./executors/airflow/export.js";
export { exportReport, formatIssue } from "./executors/airflow/report.js";
export type { ExportIssue } from "./executors/airflow/report.js";
