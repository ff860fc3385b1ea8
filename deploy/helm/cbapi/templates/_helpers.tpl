{{/* The chart's name, at most 63 characters (a DNS label). */}}
{{- define "cbapi.name" -}}
{{- .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release's base name for every object: the release name, with the chart's name unless it already contains it. */}}
{{- define "cbapi.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "cbapi.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
app.kubernetes.io/name: {{ include "cbapi.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "cbapi.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cbapi.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "cbapi.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) -}}
{{- end -}}

{{- define "cbapi.secretName" -}}
{{- .Values.secrets.existingSecret | default (include "cbapi.fullname" .) -}}
{{- end -}}

{{- define "cbapi.migrationSecretName" -}}
{{- .Values.secrets.existingMigrationSecret | default (printf "%s-migration" (include "cbapi.fullname" .)) -}}
{{- end -}}

{{/* The drain must fit in the deadline, and the deadline in Kubernetes' grace period (it SIGKILLs after it). */}}
{{- define "cbapi.checkShutdown" -}}
{{- if le (mul (int .Values.shutdown.terminationGracePeriodSeconds) 1000) (int .Values.shutdown.timeoutMs) -}}
{{- fail "shutdown.terminationGracePeriodSeconds must exceed shutdown.timeoutMs: Kubernetes would SIGKILL a pod that is still draining" -}}
{{- end -}}
{{- if ge (int .Values.shutdown.drainDelayMs) (int .Values.shutdown.timeoutMs) -}}
{{- fail "shutdown.drainDelayMs must be less than shutdown.timeoutMs" -}}
{{- end -}}
{{- end -}}

{{/* Environment of every container: the settings in .Values.config (empty ones left out), the shutdown timings, the app Secret's keys. */}}
{{- define "cbapi.env" -}}
{{- range $name, $value := .Values.config }}
{{- if $value }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end }}
- name: SHUTDOWN_TIMEOUT_MS
  value: {{ .Values.shutdown.timeoutMs | toString | quote }}
- name: SHUTDOWN_DRAIN_DELAY_MS
  value: {{ .Values.shutdown.drainDelayMs | toString | quote }}
{{- range $key := list "DATABASE_URL" "REDIS_URL" "JWT_SECRET" "HASH_SECRET" }}
- name: {{ $key }}
  valueFrom:
    secretKeyRef:
      name: {{ include "cbapi.secretName" $ }}
      key: {{ $key }}
{{- end }}
{{- end -}}

{{/* Pod settings both Deployments and the Job share. */}}
{{- define "cbapi.podCommon" -}}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
volumes:
  - name: tmp
    emptyDir: {}
{{- end -}}
