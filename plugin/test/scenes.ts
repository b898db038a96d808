import { ScopedVars, TypedVariableModel } from '@grafana/data';
import { TemplateSrv, VariableInterpolation } from '@grafana/runtime';
import {
  EmbeddedScene,
  InterpolationFormatParameter,
  QueryVariable,
  SafeSerializableSceneObject,
  SceneFlexItem,
  SceneFlexLayout,
  SceneObject,
  SceneVariableSet,
  sceneGraph,
} from '@grafana/scenes';

/**
 * A Grafana 12 dashboard as far as a data source sees it: a scene of query variables (the real
 * @grafana/scenes code, the version Grafana 12.3 ships), and Grafana's TemplateSrv over it, which
 * hands replace() to the scene's interpolation with the panel (or else the dashboard) as scope, as
 * public/app/features/templating/template_srv.ts does.
 */
export const ALL = '$__all';

export interface VariableSpec {
  name: string;
  /** What the variable listed at its last refresh. */
  options?: string[];
  multi?: boolean;
  includeAll?: boolean;
  allValue?: string;
  skipUrlSync?: boolean;
  /** What the user picked: a value, several (multi), or ALL. */
  selected: string | string[];
}

class SceneTemplateSrv implements TemplateSrv {
  constructor(private readonly dashboard: SceneObject) {}

  getVariables(): TypedVariableModel[] {
    return sceneGraph
      .getVariables(this.dashboard)
      .state.variables.map((v) => ({ name: v.state.name, type: v.state.type }) as TypedVariableModel);
  }

  replace(
    target?: string,
    scopedVars?: ScopedVars,
    // TemplateSrv's own type is string | Function; Grafana passes it on as it is.
    format?: InterpolationFormatParameter,
    interpolations?: VariableInterpolation[],
  ): string {
    const scope = (scopedVars?.__sceneObject?.value as { valueOf(): SceneObject } | undefined)?.valueOf();
    return sceneGraph.interpolate(scope ?? this.dashboard, target, scopedVars, format, interpolations);
  }

  containsTemplate(target?: string): boolean {
    return target !== undefined && this.replace(target) !== target;
  }

  updateTimeRange(): void {}
}

function queryVariable(spec: VariableSpec): QueryVariable {
  const variable = new QueryVariable({
    name: spec.name,
    isMulti: spec.multi ?? false,
    includeAll: spec.includeAll ?? false,
    ...(spec.allValue !== undefined ? { allValue: spec.allValue } : {}),
    skipUrlSync: spec.skipUrlSync ?? false,
    datasource: { type: 'pggovernor-postgres-datasource', uid: 'pgg' },
    query: { refId: `PggVariable-${spec.name}`, variable: 'targets' },
    options: (spec.options ?? []).map((v) => ({ label: v, value: v })),
    value: '',
    text: '',
  });
  // As the value picker does.
  variable.changeValueTo(spec.selected);
  return variable;
}

export interface SceneDashboard {
  templateSrv: TemplateSrv;
  /** The scoped variables of a panel's queries: the panel's scene object, as SceneQueryRunner passes it. */
  panelScope: ScopedVars;
}

export function sceneDashboard(specs: VariableSpec[] = []): SceneDashboard {
  const panel = new SceneFlexItem({ body: new SceneFlexLayout({ children: [] }) });
  const dashboard = new EmbeddedScene({
    $variables: new SceneVariableSet({ variables: specs.map(queryVariable) }),
    body: new SceneFlexLayout({ children: [panel] }),
  });
  return {
    templateSrv: new SceneTemplateSrv(dashboard),
    panelScope: { __sceneObject: new SafeSerializableSceneObject(panel) },
  };
}
