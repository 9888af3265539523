export { Chart, type ChartProps } from './Chart';
export type { ChartSpecDto } from '../../../../preload/contract';
